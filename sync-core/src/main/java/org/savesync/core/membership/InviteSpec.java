package org.savesync.core.membership;

import java.time.Duration;
import java.util.Objects;
import org.savesync.core.identity.NodeId;

/**
 * What an invite should allow, as asked for by a member or an administrator.
 *
 * <p>Bounds: it lives {@link #MIN_TTL} to {@link #MAX_TTL}; it admits 1 (single use) to
 * {@value #MAX_USES} joiners, never an unlimited number ({@value #DEFAULT_REUSABLE_USES} when a
 * reusable invite is asked for without a limit); the joiner becomes a {@link Role#MEMBER}
 * (read-write) or a {@link Role#READER} (read-only), never an owner or a hub.
 *
 * @param ttl       how long it can be redeemed, from when it is made
 * @param maxUses   how many joiners it admits; 1 is a single-use invite
 * @param role      the role the joiner gets in the signed member list
 * @param createdBy who asked for it: {@link #byNode} for a member, {@link #byAdmin} for an administrator
 */
public record InviteSpec(Duration ttl, int maxUses, Role role, String createdBy) {
    public static final Duration MIN_TTL = Duration.ofMinutes(1);
    public static final Duration MAX_TTL = Duration.ofDays(30);
    public static final int MAX_USES = 10_000;
    /** The limit of a reusable invite asked for without one. */
    public static final int DEFAULT_REUSABLE_USES = 100;
    /** Longest creator label, in UTF-8 bytes. */
    public static final int MAX_CREATOR_BYTES = 255;

    public InviteSpec {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(role, "role");
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("an invite lives between 1 minute and " + MAX_TTL.toDays()
                    + " days, got " + describe(ttl));
        }
        if (maxUses < 1 || maxUses > MAX_USES) {
            throw new IllegalArgumentException("an invite admits 1 to " + MAX_USES + " joiners, got " + maxUses);
        }
        if (role != Role.MEMBER && role != Role.READER) {
            throw new IllegalArgumentException("an invite makes a MEMBER (read-write) or a READER (read-only), not "
                    + role);
        }
        Names.check(createdBy, "an invite's creator", MAX_CREATOR_BYTES);
    }

    /** An invite the first joiner uses up. */
    public static InviteSpec singleUse(Duration ttl, Role role, String createdBy) {
        return new InviteSpec(ttl, 1, role, createdBy);
    }

    /** An invite for up to {@code maxUses} joiners; null or 0 means {@value #DEFAULT_REUSABLE_USES}. */
    public static InviteSpec reusable(Duration ttl, Integer maxUses, Role role, String createdBy) {
        return new InviteSpec(ttl, maxUses == null || maxUses == 0 ? DEFAULT_REUSABLE_USES : maxUses, role, createdBy);
    }

    /** The creator label of a member node: {@code node <id>}. */
    public static String byNode(NodeId node) {
        return "node " + node;
    }

    /** The creator label of an administrator: {@code admin <subject>}. */
    public static String byAdmin(String subject) {
        return "admin " + subject;
    }

    public boolean singleUse() {
        return maxUses == 1;
    }

    /** The same invite, recorded as made by {@code creator}. */
    public InviteSpec withCreatedBy(String creator) {
        return new InviteSpec(ttl, maxUses, role, creator);
    }

    private static String describe(Duration d) {
        return d.toSeconds() >= 60 ? d.toString() : d.toMillis() + " ms";
    }
}
