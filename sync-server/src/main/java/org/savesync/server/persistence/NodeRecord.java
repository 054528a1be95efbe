package org.savesync.server.persistence;

import java.time.Instant;
import java.util.List;
import org.savesync.core.identity.NodeId;

/**
 * What the hub knows about a node.
 *
 * @param name       the name it gave (at enrollment or when it last connected), or null
 * @param enrolledAt when it enrolled with the hub, or null when it never did (a member that
 *                   joined a group by invite only)
 * @param lastSeen   when it was last connected to the hub, or null when never
 * @param addresses  the addresses it said it listens on when it last connected
 * @param revokedAt  when an administrator revoked its enrollment, or null
 * @param revokedBy  who did, or null
 */
public record NodeRecord(NodeId id, String name, Instant enrolledAt, Instant lastSeen, List<String> addresses,
                         Instant revokedAt, String revokedBy) {
    public NodeRecord {
        addresses = List.copyOf(addresses);
    }

    /** It enrolled (and may have been revoked since). */
    public boolean enrolled() {
        return enrolledAt != null;
    }

    /** An administrator revoked its enrollment: it may not register new groups. */
    public boolean revoked() {
        return revokedAt != null;
    }
}
