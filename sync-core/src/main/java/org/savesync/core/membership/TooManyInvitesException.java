package org.savesync.core.membership;

/** A group already has as many live invites as an authority keeps; revoke some or let them expire. */
public final class TooManyInvitesException extends IllegalStateException {
    private final GroupId group;
    private final int limit;

    public TooManyInvitesException(GroupId group, int limit) {
        super("group " + group + " already has " + limit + " open invites, the most its authority keeps; wait until"
                + " some are used or expire (or ask for a shorter --expires)");
        this.group = group;
        this.limit = limit;
    }

    public GroupId group() {
        return group;
    }

    public int limit() {
        return limit;
    }
}
