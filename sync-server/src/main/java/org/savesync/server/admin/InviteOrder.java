package org.savesync.server.admin;

import java.time.Duration;
import org.savesync.core.membership.InviteSpec;
import org.savesync.core.membership.Role;

/**
 * An administrator's request for an invite, as both APIs carry it; every field may be left
 * out (null). Defaults: it lives {@value #DEFAULT_TTL_SECONDS} s (a day); it is single use
 * unless {@code singleUse} is false or {@code maxUses} is more than 1 (a reusable invite without
 * {@code maxUses} admits {@value InviteSpec#DEFAULT_REUSABLE_USES}); the joiner becomes a
 * MEMBER (read-write) unless {@code role} is READER (read-only).
 *
 * @param ttlSeconds how long it can be redeemed: 60..2592000 (1 minute to 30 days)
 * @param singleUse  whether the first joiner uses it up
 * @param maxUses    how many joiners it admits: 1..10000
 * @param role       MEMBER or READER (any case)
 */
public record InviteOrder(Long ttlSeconds, Boolean singleUse, Long maxUses, String role) {
    public static final long DEFAULT_TTL_SECONDS = 86_400;

    /** The spec of this order, by {@code createdBy}; INVALID_ARGUMENT naming the field when a value is out of range. */
    public InviteSpec spec(String createdBy) {
        long ttl = ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
        if (ttl < InviteSpec.MIN_TTL.toSeconds() || ttl > InviteSpec.MAX_TTL.toSeconds()) {
            throw AdminException.invalid("ttlSeconds", InviteSpec.MIN_TTL.toSeconds() + ".." + InviteSpec.MAX_TTL.toSeconds()
                    + " (1 minute to 30 days), got " + ttl);
        }
        if (maxUses != null && (maxUses < 1 || maxUses > InviteSpec.MAX_USES)) {
            throw AdminException.invalid("maxUses", "1.." + InviteSpec.MAX_USES + " (unlimited invites are not made),"
                    + " got " + maxUses);
        }
        if (Boolean.TRUE.equals(singleUse) && maxUses != null && maxUses != 1) {
            throw AdminException.invalid("maxUses", "a single-use invite admits 1 joiner; leave singleUse out (or false)"
                    + " for " + maxUses);
        }
        Role r = role(role);
        boolean reusable = Boolean.FALSE.equals(singleUse) || maxUses != null && maxUses > 1;
        Duration d = Duration.ofSeconds(ttl);
        return reusable ? InviteSpec.reusable(d, maxUses == null ? null : maxUses.intValue(), r, createdBy)
                : InviteSpec.singleUse(d, r, createdBy);
    }

    private static Role role(String text) {
        if (text == null || text.isEmpty() || text.equalsIgnoreCase("MEMBER")) {
            return Role.MEMBER;
        }
        if (text.equalsIgnoreCase("READER")) {
            return Role.READER;
        }
        throw AdminException.invalid("role", "MEMBER (read-write) or READER (read-only), got '" + AdminInput.shown(text)
                + "'");
    }
}
