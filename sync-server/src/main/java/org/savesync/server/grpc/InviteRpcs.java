package org.savesync.server.grpc;

import jakarta.enterprise.context.ApplicationScoped;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.InviteOrder;
import org.savesync.server.admin.Invites;
import org.savesync.server.grpc.v1.CreateInviteRequest;
import org.savesync.server.grpc.v1.CreateInviteResponse;
import org.savesync.server.grpc.v1.Invite;
import org.savesync.server.grpc.v1.ListInvitesRequest;
import org.savesync.server.grpc.v1.ListInvitesResponse;
import org.savesync.server.grpc.v1.RevokeInviteRequest;

/** The invite rpcs of {@code GroupAdmin} over {@link Invites}: {@link GroupAdminService} holds their roles and delegates here. */
@ApplicationScoped
class InviteRpcs {
    private final Invites invites;

    InviteRpcs(Invites invites) {
        this.invites = invites;
    }

    CreateInviteResponse create(CreateInviteRequest r) {
        InviteOrder order = new InviteOrder(r.hasTtlSeconds() ? Long.valueOf(r.getTtlSeconds()) : null,
                r.hasSingleUse() ? Boolean.valueOf(r.getSingleUse()) : null,
                r.hasMaxUses() ? Long.valueOf(r.getMaxUses()) : null, r.getRole());
        Invites.Created c = invites.create(AdminInput.group("groupId", r.getGroupId()), order);
        return CreateInviteResponse.newBuilder().setTicket(c.ticket()).setInvite(toWire(c.invite())).build();
    }

    ListInvitesResponse list(ListInvitesRequest r) {
        var b = ListInvitesResponse.newBuilder();
        invites.list(AdminInput.group("groupId", r.getGroupId())).forEach(i -> b.addInvites(toWire(i)));
        return b.build();
    }

    Invite revoke(RevokeInviteRequest r) {
        return toWire(invites.revoke(AdminInput.group("groupId", r.getGroupId()), r.getInviteId()));
    }

    static Invite toWire(org.savesync.core.membership.Invite i) {
        return Invite.newBuilder().setInviteId(i.id()).setGroupId(i.group().toString()).setRole(i.role().name())
                .setUses(i.uses()).setMaxUses(i.maxUses()).setCreatedAt(AdminWire.toWire(i.createdAt()))
                .setExpiresAt(AdminWire.toWire(i.expiresAt())).setCreatedBy(i.createdBy()).build();
    }
}
