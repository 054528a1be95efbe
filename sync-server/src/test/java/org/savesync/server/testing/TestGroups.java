package org.savesync.server.testing;

import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.server.persistence.PgStores;

/** Groups saved straight into the hub's stores, as if it had registered them: a hub key, an owner and a member. */
public final class TestGroups {
    private TestGroups() {
    }

    /** A new group named {@code name} held by the hub, with members {@code hub} (HUB), {@code owner} and {@code member}. */
    public static GroupId create(PgStores stores, String name, NodeKey hub, NodeKey owner, NodeKey member) {
        GroupId group = GroupId.random();
        MemberList list = new MemberList(group, 2, hub.nodeId(), 2_000, List.of(
                new Member(owner.nodeId(), "owner", Role.OWNER, 1_000, owner.nodeId()),
                new Member(member.nodeId(), "member", Role.MEMBER, 1_500, owner.nodeId()),
                new Member(hub.nodeId(), "hub", Role.HUB, 2_000, owner.nodeId())));
        SignedMemberList signed = SignedMemberList.sign(list, hub);
        byte[] handover = "stand-in handover".getBytes();
        stores.open(group).saveInfo(new GroupInfo(group, name, null, hub.nodeId(),
                new SignedRecord(signed.signedBytes(), signed.signature()), GroupSecret.random(1), Map.of(),
                new SignedRecord(handover, owner.sign(handover))));
        return group;
    }
}
