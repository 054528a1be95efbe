package org.savesync.server.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.Removal;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.server.service.HubService;

/**
 * Removing a member from a group the hub is the authority of, for both admin APIs. The hub's
 * engine signs a list without the member, rotates the group secret (the removed node never gets
 * the new epoch), revokes the group's outstanding invites and tells every member; then the
 * removal is audited ({@value #REMOVE}: the member and the list version and secret epoch before
 * and after). The engine's change is made first and cannot be rolled back: when the audit event
 * cannot be written the removal stands and the failure is logged as an error.
 */
@ApplicationScoped
public class Members {
    /** Audit action of a removal by an administrator. */
    public static final String REMOVE = "member.remove";
    private static final Logger LOG = Logger.getLogger(Members.class);

    private final HubService hub;
    private final ReplicaViews views;
    private final AuditLog audit;

    Members(HubService hub, ReplicaViews views, AuditLog audit) {
        this.hub = hub;
        this.views = views;
        this.audit = audit;
    }

    /**
     * Removes {@code node} from {@code group}. NOT_FOUND for a group the hub does not hold or a
     * node that is not on its list; FAILED_PRECONDITION for the hub itself (the authority).
     */
    @Transactional
    public Removal remove(GroupId group, NodeId node) {
        views.store(group);
        SyncEngine engine = hub.engine();
        GroupHandle g = engine.group(group).orElseThrow(() -> AdminException.notFound("the hub holds no group "
                + group + "; GET /api/v1/groups lists the groups"));
        Member member = g.members().member(node).orElseThrow(() -> notAMember(group, node));
        long versionBefore = g.members().version();
        long epochBefore = g.secretEpoch();
        Removal removal;
        try {
            removal = engine.removeMember(group, node).join();
        } catch (CompletionException e) {
            throw refusal(group, node, e.getCause() == null ? e : e.getCause());
        }
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("name", member.name());
        before.put("role", member.role().name());
        before.put("addedAt", java.time.Instant.ofEpochMilli(member.addedAtMillis()).toString());
        before.put("listVersion", versionBefore);
        before.put("secretEpoch", epochBefore);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("listVersion", removal.listVersion());
        after.put("secretEpoch", removal.secretEpoch());
        try {
            audit.record(REMOVE, group, node, before, after);
        } catch (RuntimeException e) {
            LOG.errorf(e, "group %s: %s was removed but the audit event could not be written", group, node);
            throw e;
        }
        return removal;
    }

    private static AdminException notAMember(GroupId group, NodeId node) {
        return AdminException.notFound(node + " is not a member of group " + group + "; GET /api/v1/groups/" + group
                + "/members lists them");
    }

    private static RuntimeException refusal(GroupId group, NodeId node, Throwable t) {
        return switch (t) {
            case IllegalArgumentException e when e.getMessage() != null && e.getMessage().contains("not a member") ->
                    notAMember(group, node);
            case IllegalArgumentException e -> AdminException.failedPrecondition(e.getMessage());
            case IllegalStateException e -> AdminException.failedPrecondition(e.getMessage());
            case RuntimeException e -> e;
            default -> new IllegalStateException(t);
        };
    }
}
