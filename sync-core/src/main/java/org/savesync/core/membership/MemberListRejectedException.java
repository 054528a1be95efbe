package org.savesync.core.membership;

/**
 * A verified member list that may not replace the one a peer holds. {@link Reason#STALE} is
 * routine (a peer forwarded a list we already have or an older one) and can be ignored;
 * the others mean a misbehaving or misconfigured peer and should be reported.
 */
public final class MemberListRejectedException extends RuntimeException {
    /** Why the offered list was not taken. */
    public enum Reason {
        /** The offered list is for another group. */
        WRONG_GROUP,
        /** Signed by a node that is not this group's authority. */
        WRONG_AUTHORITY,
        /** Its version is not higher than the one held. */
        STALE,
        /** Same version as the one held, but different bytes: the authority signed two different lists. */
        FORKED
    }

    private final Reason reason;
    private final GroupId group;
    private final long heldVersion;
    private final long offeredVersion;

    public MemberListRejectedException(Reason reason, GroupId group, long heldVersion, long offeredVersion, String detail) {
        super("member list version " + offeredVersion + " for group " + group + " not accepted (" + reason
                + ", holding version " + heldVersion + "): " + detail);
        this.reason = reason;
        this.group = group;
        this.heldVersion = heldVersion;
        this.offeredVersion = offeredVersion;
    }

    public Reason reason() {
        return reason;
    }

    public GroupId group() {
        return group;
    }

    public long heldVersion() {
        return heldVersion;
    }

    public long offeredVersion() {
        return offeredVersion;
    }
}
