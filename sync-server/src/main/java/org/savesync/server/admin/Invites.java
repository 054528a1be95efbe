package org.savesync.server.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Invite;
import org.savesync.core.membership.InviteSpec;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Ticket;
import org.savesync.core.membership.TooManyInvitesException;
import org.savesync.server.persistence.HubStorageException;
import org.savesync.server.service.HubService;

/**
 * The invites of the groups the hub is the authority of, for both admin APIs: create (the
 * ticket is returned once and never again), list the live ones, revoke one by its id. Creations
 * and revocations are audited ({@value #CREATE}, {@value #REVOKE}, the invite's fields before and
 * after, never its token). The invite itself is kept by the engine's registry in PostgreSQL (its
 * own transaction); when the audit event cannot be written, a created invite is revoked again.
 */
@ApplicationScoped
public class Invites {
    /** Audit action of a creation. */
    public static final String CREATE = "invite.create";
    /** Audit action of a revocation. */
    public static final String REVOKE = "invite.revoke";
    private static final Logger LOG = Logger.getLogger(Invites.class);
    /** An admin's subject is cut to this many characters in {@code createdBy}. */
    private static final int MAX_SUBJECT = 200;

    /** A new invite: {@code ticket} is what the joiner pastes (shown this once). */
    public record Created(String ticket, Invite invite) {
    }

    private final HubService hub;
    private final ReplicaViews views;
    private final AuditLog audit;
    private final Actor actor;

    Invites(HubService hub, ReplicaViews views, AuditLog audit, Actor actor) {
        this.hub = hub;
        this.views = views;
        this.audit = audit;
        this.actor = actor;
    }

    /** Makes an invite into {@code group}; INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION (too many live invites). */
    @Transactional
    public Created create(GroupId group, InviteOrder order) {
        String subject = actor.current();
        InviteSpec spec = order.spec(InviteSpec.byAdmin(subject.length() > MAX_SUBJECT
                ? subject.substring(0, MAX_SUBJECT) : subject));
        views.store(group);
        SyncEngine engine = hub.engine();
        Ticket ticket;
        try {
            ticket = engine.createInvite(group, spec);
        } catch (CompletionException e) {
            throw refusal(group, e.getCause() == null ? e : e.getCause());
        }
        String id = ticket.token().id();
        Invite invite = engine.invites(group).stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("invite " + id + " vanished right after it was made"));
        try {
            audit.record(CREATE, group, null, null, auditView(invite));
        } catch (RuntimeException e) {
            engine.revokeInvite(group, id);
            LOG.warnf("invite %s of group %s revoked again: its audit event could not be written", id, group);
            throw e;
        }
        return new Created(ticket.text(), invite);
    }

    /** The live invites of {@code group}, oldest first; NOT_FOUND for a group the hub does not hold. */
    public List<Invite> list(GroupId group) {
        views.store(group);
        return hub.engine().invites(group);
    }

    /** Revokes the live invite {@code inviteId} of {@code group}; NOT_FOUND when there is none. Returns it. */
    @Transactional
    public Invite revoke(GroupId group, String inviteId) {
        String id = inviteId(inviteId);
        views.store(group);
        SyncEngine engine = hub.engine();
        Invite before = engine.invites(group).stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> noSuchInvite(group, id));
        boolean revoked;
        try {
            revoked = engine.revokeInvite(group, id);
        } catch (RuntimeException e) {
            throw refusal(group, e);
        }
        if (!revoked) {
            throw noSuchInvite(group, id); // used up or expired since it was listed
        }
        audit.record(REVOKE, group, null, auditView(before), null);
        return before;
    }

    /** The invite as the audit log shows it: everything but a token (it has none). */
    static Map<String, Object> auditView(Invite i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inviteId", i.id());
        m.put("role", i.role().name());
        m.put("maxUses", i.maxUses());
        m.put("uses", i.uses());
        m.put("createdAt", i.createdAt().toString());
        m.put("expiresAt", i.expiresAt().toString());
        m.put("createdBy", i.createdBy());
        return m;
    }

    private static String inviteId(String text) {
        if (text == null || text.length() != InviteToken.ID_LENGTH || !text.chars().allMatch(c -> c >= 'a' && c <= 'z'
                || c >= '2' && c <= '7')) {
            throw AdminException.invalid("inviteId", "'" + AdminInput.shown(text) + "' is not an invite id ("
                    + InviteToken.ID_LENGTH + " base32 characters, as GET /api/v1/groups/{id}/invites lists them)");
        }
        return text;
    }

    private static AdminException noSuchInvite(GroupId group, String id) {
        return AdminException.notFound("group " + group + " has no live invite " + id + " (used up, expired, revoked, or"
                + " never made); GET /api/v1/groups/" + group + "/invites lists the live ones");
    }

    private static RuntimeException refusal(GroupId group, Throwable t) {
        return switch (t) {
            case TooManyInvitesException e -> AdminException.failedPrecondition(e.getMessage());
            case IllegalStateException e -> AdminException.failedPrecondition(e.getMessage());
            case HubStorageException e -> e;
            case IllegalArgumentException e -> AdminException.notFound("the hub holds no group " + group + ": "
                    + e.getMessage());
            case RuntimeException e -> e;
            default -> new IllegalStateException(t);
        };
    }
}
