package org.savesync.core.membership;

import java.time.Instant;
import java.util.Objects;

/**
 * An invitation into a group, as the authority records it and lists it. It holds no secret:
 * {@link #id} is derived from the token by {@link InviteToken#id()} (a hash), so an invite can
 * be listed, logged and revoked by its id while the token itself is shown only once, in the
 * ticket made with it.
 *
 * @param id              the invite's public id ({@value InviteToken#ID_LENGTH} base32 characters)
 * @param group           the group it lets one join
 * @param role            the role a joiner gets
 * @param maxUses         how many joiners it admits (1: single use)
 * @param uses            how many it admitted so far
 * @param createdAtMillis when it was made (ms since the Unix epoch)
 * @param expiresAtMillis from this instant (ms since the Unix epoch) on the token is refused
 * @param createdBy       who asked for it (see {@link InviteSpec#byNode}, {@link InviteSpec#byAdmin})
 */
public record Invite(String id, GroupId group, Role role, int maxUses, int uses, long createdAtMillis,
                     long expiresAtMillis, String createdBy) {
    public Invite {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdBy, "createdBy");
        if (expiresAtMillis <= 0 || createdAtMillis < 0) {
            throw new IllegalArgumentException("expiresAtMillis must be > 0 and createdAtMillis >= 0, got "
                    + expiresAtMillis + ", " + createdAtMillis);
        }
        if (maxUses < 1 || maxUses > InviteSpec.MAX_USES || uses < 0 || uses > maxUses) {
            throw new IllegalArgumentException("an invite has 1.." + InviteSpec.MAX_USES + " uses and 0..maxUses used,"
                    + " got " + uses + " of " + maxUses);
        }
    }

    /** Whether the first successful redemption uses it up. */
    public boolean singleUse() {
        return maxUses == 1;
    }

    /** Expired when {@code nowMillis} is at or past the expiry. */
    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    public Instant expiresAt() {
        return Instant.ofEpochMilli(expiresAtMillis);
    }

    public Instant createdAt() {
        return Instant.ofEpochMilli(createdAtMillis);
    }

    /** The same invite after one more joiner used it. */
    Invite used() {
        return new Invite(id, group, role, maxUses, uses + 1, createdAtMillis, expiresAtMillis, createdBy);
    }
}
