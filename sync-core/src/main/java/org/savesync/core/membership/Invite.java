package org.savesync.core.membership;

import java.util.Objects;
import org.savesync.core.identity.NodeId;

/**
 * An invitation into a group, as the authority records it.
 *
 * @param token           what the joiner presents
 * @param group           the group it lets one join
 * @param expiresAtMillis after this instant (ms since the Unix epoch) the token is refused
 * @param singleUse       whether the first successful redemption uses it up
 * @param createdBy       the member who asked for the invite
 */
public record Invite(InviteToken token, GroupId group, long expiresAtMillis, boolean singleUse, NodeId createdBy) {
    public Invite {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(createdBy, "createdBy");
        if (expiresAtMillis <= 0) {
            throw new IllegalArgumentException("expiresAtMillis must be > 0, got " + expiresAtMillis);
        }
    }

    /** Expired when {@code nowMillis} is at or past the expiry. */
    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
