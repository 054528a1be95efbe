package org.savesync.core.membership;

import java.util.Objects;
import org.savesync.core.identity.NodeId;

/**
 * One line of the member list.
 *
 * @param id            the member's node id
 * @param name          a display name: not blank, at most {@value #MAX_NAME_BYTES} UTF-8 bytes, no control characters
 * @param role          what it may do
 * @param addedAtMillis when it was added, ms since the Unix epoch (≥ 0)
 * @param addedBy       who added it (the creator adds itself)
 */
public record Member(NodeId id, String name, Role role, long addedAtMillis, NodeId addedBy) {
    public static final int MAX_NAME_BYTES = 255;

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(addedBy, "addedBy");
        Names.check(name, "a member name", MAX_NAME_BYTES);
        if (addedAtMillis < 0) {
            throw new IllegalArgumentException("addedAtMillis must be >= 0, got " + addedAtMillis);
        }
    }

    /** The same member with another role (e.g. promoted to owner). */
    public Member withRole(Role newRole) {
        return new Member(id, name, newRole, addedAtMillis, addedBy);
    }
}
