package org.savesync.server.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.savesync.server.persistence.NodeRecord;
import org.savesync.server.persistence.NodeRegistry;
import org.savesync.server.service.HubService;

/**
 * Enrollment for both admin APIs: the nodes enrolled with the hub, revoking one, rotating the
 * enrollment token. Each change and its audit event ({@value #REVOKE}, {@value #ROTATE}) are one
 * transaction.
 *
 * <p>Revoking keeps the node's groups as they are (it stays a member and keeps syncing); the
 * hub's registration policy refuses every new group it registers, even with a valid token.
 * There is no un-revoke: a node is revoked for good (a new node key enrolls afresh).
 *
 * <p>Rotating writes a new random token to the same owner-only file; the old one stops working
 * at once. The new token is answered once to the administrator who asked, like an auth key,
 * and never written to the audit log (which records the file only).
 */
@ApplicationScoped
public class EnrollmentAdmin {
    /** Audit action of a revocation. */
    public static final String REVOKE = "enrollment.revoke";
    /** Audit action of a token rotation. */
    public static final String ROTATE = "enrollment.rotate-token";

    private final NodeRegistry registry;
    private final GroupDirectory directory;
    private final HubService hub;
    private final AuditLog audit;
    private final Actor actor;

    EnrollmentAdmin(NodeRegistry registry, GroupDirectory directory, HubService hub, AuditLog audit, Actor actor) {
        this.registry = registry;
        this.directory = directory;
        this.hub = hub;
        this.audit = audit;
        this.actor = actor;
    }

    /** Every node that enrolled (revoked ones included), by node id. */
    public List<EnrollmentView> list() {
        Map<NodeId, NodeView> views = new java.util.HashMap<>();
        directory.nodes().forEach(v -> views.put(NodeId.parse(v.nodeId()), v));
        List<EnrollmentView> out = new ArrayList<>();
        for (NodeRecord n : registry.nodes()) {
            if (n.enrolled()) {
                out.add(view(n, views.get(n.id())));
            }
        }
        return out;
    }

    private NodeView nodeView(NodeId node) {
        String id = node.toString();
        return directory.nodes().stream().filter(v -> v.nodeId().equals(id)).findFirst().orElse(null);
    }

    private static EnrollmentView view(NodeRecord n, NodeView v) {
        return new EnrollmentView(n.id().toString(), v == null ? n.name() : v.name(), n.enrolledAt(),
                v == null ? n.lastSeen() : v.lastSeen(), v != null && v.online(), v == null ? List.of() : v.groups(),
                n.revoked(), n.revokedAt(), n.revokedBy());
    }

    /**
     * Revokes the node's enrollment and records it; NOT_FOUND when it never enrolled. Revoking a
     * revoked node changes nothing and answers it as it is (no second audit event).
     */
    @Transactional
    public EnrollmentView revoke(NodeId node) {
        NodeRecord before = registry.node(node);
        if (before == null || !before.enrolled()) {
            throw AdminException.notFound("node " + node + " is not enrolled with this hub; GET /api/v1/enrollments"
                    + " (or GroupAdmin.ListEnrollments) lists the enrolled nodes");
        }
        if (before.revoked()) {
            return view(before, nodeView(node));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String by = actor.current();
        if (!registry.revoke(node, by, now)) {
            throw AdminException.aborted("node " + node + " was revoked meanwhile; list the enrollments again");
        }
        NodeRecord after = new NodeRecord(before.id(), before.name(), before.enrolledAt(), before.lastSeen(),
                before.addresses(), now, by);
        audit.record(REVOKE, null, node, auditView(before), auditView(after));
        return view(after, nodeView(node));
    }

    /**
     * Replaces the enrollment token with a new random one and answers it (once). The audit
     * event names the file, never the token.
     */
    @Transactional
    public RotatedToken rotateToken() {
        var token = hub.enrollmentToken();
        if (token == null) {
            throw new IllegalStateException("the hub has not started; there is no enrollment token yet");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // Audit first: if that fails nothing is rotated; if the rotation fails the event rolls back.
        audit.record(ROTATE, null, null, null, Map.of("file", token.file().toString()));
        String fresh = token.rotate();
        return new RotatedToken(fresh, token.file().toString(), now);
    }

    private static Map<String, Object> auditView(NodeRecord n) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("nodeId", n.id().toString());
        m.put("name", n.name());
        m.put("enrolledAt", n.enrolledAt() == null ? null : n.enrolledAt().toString());
        m.put("revoked", n.revoked());
        m.put("revokedAt", n.revokedAt() == null ? null : n.revokedAt().toString());
        m.put("revokedBy", n.revokedBy());
        return m;
    }
}
