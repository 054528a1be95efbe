package org.savesync.server.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.server.persistence.entity.NodeEntity;

/**
 * The nodes the hub knows ({@code nodes} table): which are enrolled (may register groups) and
 * when each was last connected, with its name and listen addresses.
 *
 * <p>{@link #seen} is called on every connection and may be called often: it writes only when
 * the name or addresses changed or the stored time is older than {@link #LAST_SEEN_PRECISION};
 * {@link #nodes} shows the newest time either way.
 */
@ApplicationScoped
public class NodeRegistry {
    /** How stale the stored last-seen time may get before {@link #seen} writes it again. */
    public static final Duration LAST_SEEN_PRECISION = Duration.ofSeconds(30);

    // Upserts: two connections of a new node may report it at the same time.
    private static final String ENROLL = "INSERT INTO nodes (node_id, name, enrolled_at) VALUES (?1, ?2, ?3)"
            + " ON CONFLICT (node_id) DO UPDATE SET enrolled_at = COALESCE(nodes.enrolled_at, EXCLUDED.enrolled_at),"
            + " name = COALESCE(EXCLUDED.name, nodes.name)";
    private static final String SEEN = "INSERT INTO nodes (node_id, name, last_seen, addresses) VALUES (?1, ?2, ?3, ?4)"
            + " ON CONFLICT (node_id) DO UPDATE SET last_seen = GREATEST(nodes.last_seen, EXCLUDED.last_seen),"
            + " name = COALESCE(EXCLUDED.name, nodes.name), addresses = EXCLUDED.addresses";

    private record Seen(String name, List<String> addresses, long storedAtMillis, long lastSeenMillis) {
    }

    /** Per node: what {@link #seen} last wrote, and the newest time it was told. */
    private final Map<NodeId, Seen> seen = new ConcurrentHashMap<>();

    public boolean isEnrolled(NodeId node) {
        return call("check enrollment", () -> {
            NodeEntity row = Panache.getEntityManager().find(NodeEntity.class, node.bytes());
            return row != null && row.enrolledAt != null;
        });
    }

    /** Whether an administrator revoked the node's enrollment. */
    public boolean isRevoked(NodeId node) {
        return call("check revocation", () -> {
            NodeEntity row = Panache.getEntityManager().find(NodeEntity.class, node.bytes());
            return row != null && row.revokedAt != null;
        });
    }

    /**
     * Marks the enrolled node revoked, in the caller's transaction (there must be one). Returns
     * false when it is not enrolled or already revoked (nothing changed).
     */
    @jakarta.transaction.Transactional(jakarta.transaction.Transactional.TxType.MANDATORY)
    public boolean revoke(NodeId node, String by, Instant at) {
        return Panache.getEntityManager().createNativeQuery("UPDATE nodes SET revoked_at = ?1, revoked_by = ?2"
                        + " WHERE node_id = ?3 AND enrolled_at IS NOT NULL AND revoked_at IS NULL")
                .setParameter(1, at).setParameter(2, by).setParameter(3, node.bytes()).executeUpdate() == 1;
    }

    /** The node's record, or null when the hub never heard of it. */
    public NodeRecord node(NodeId node) {
        return nodes().stream().filter(n -> n.id().equals(node)).findFirst().orElse(null);
    }

    /** Enrolls the node (again: the first enrollment time is kept, the name updated). */
    public void enroll(NodeId node, String name, long nowMillis) {
        call("enroll " + node, () -> Panache.getEntityManager().createNativeQuery(ENROLL)
                .setParameter(1, node.bytes()).setParameter(2, name).setParameter(3, Instant.ofEpochMilli(nowMillis))
                .executeUpdate());
    }

    /** The node is connected now, under this name (null: keep the known one) and listening on these addresses. */
    public void seen(NodeId node, String name, List<String> addresses, long nowMillis) {
        List<String> addressCopy = List.copyOf(addresses);
        Seen last = seen.get(node);
        if (last != null && Objects.equals(last.name(), name) && last.addresses().equals(addressCopy)
                && nowMillis - last.storedAtMillis() < LAST_SEEN_PRECISION.toMillis()) {
            seen.put(node, new Seen(last.name(), last.addresses(), last.storedAtMillis(),
                    Math.max(last.lastSeenMillis(), nowMillis)));
            return;
        }
        call("record that " + node + " was seen", () -> Panache.getEntityManager().createNativeQuery(SEEN)
                .setParameter(1, node.bytes()).setParameter(2, name).setParameter(3, Instant.ofEpochMilli(nowMillis))
                .setParameter(4, addressCopy.toArray(String[]::new)).executeUpdate());
        seen.put(node, new Seen(name, addressCopy, nowMillis, nowMillis));
    }

    /** Every node in the registry, by node id (raw bytes). */
    public List<NodeRecord> nodes() {
        List<NodeEntity> rows = call("list nodes", () -> Panache.getEntityManager()
                .createQuery("select n from NodeEntity n", NodeEntity.class).getResultList());
        List<NodeRecord> out = new ArrayList<>(rows.size());
        for (NodeEntity r : rows) {
            NodeId id = NodeId.of(r.nodeId);
            Instant lastSeen = r.lastSeen;
            Seen s = seen.get(id);
            if (s != null && (lastSeen == null || s.lastSeenMillis() > lastSeen.toEpochMilli())) {
                lastSeen = Instant.ofEpochMilli(s.lastSeenMillis());
            }
            out.add(new NodeRecord(id, r.name, r.enrolledAt, lastSeen,
                    r.addresses == null ? List.of() : Arrays.asList(r.addresses), r.revokedAt, r.revokedBy));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    private static <T> T call(String operation, Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, operation, e);
        }
    }

    /** One row of a current member list: {@code node} is in {@code group} under {@code name}. */
    public record Membership(NodeId node, GroupId group, String name) {
    }

    /** Every member of every group's current member list ({@code members} table), by node then group. */
    public List<Membership> memberships() {
        List<Object[]> rows = call("list members", () -> Panache.getEntityManager()
                .createQuery("select m.nodeId, m.groupId, m.name from MemberEntity m", Object[].class).getResultList());
        List<Membership> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new Membership(NodeId.of((byte[]) r[0]), GroupId.of((byte[]) r[1]), (String) r[2]));
        }
        out.sort(Comparator.comparing(Membership::node).thenComparing(Membership::group));
        return out;
    }
}
