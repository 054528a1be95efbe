package org.savesync.core.membership;

/**
 * An invite token was not accepted. The message is meant for the joiner: it says why and what
 * to do, once, without the group (the joiner's side names it) and never the token.
 */
public final class InviteRefusedException extends RuntimeException {
    /** Why the token was refused. */
    public enum Reason {
        UNKNOWN("this invite is not known to the group's authority (never made there, or used, expired or revoked"
                + " long ago); check that the whole ticket was pasted, or ask a member for a new one"),
        EXPIRED("this invite has expired; ask a member for a new one"),
        REVOKED("this invite was revoked; ask a member for a new one"),
        ALREADY_USED("this single-use invite was already used; ask a member for a new one"),
        WRONG_GROUP("this invite is for a different group than the one being joined; use the ticket for this group");

        private final String advice;

        Reason(String advice) {
            this.advice = advice;
        }

        public String advice() {
            return advice;
        }
    }

    private final Reason reason;
    private final GroupId group;

    public InviteRefusedException(Reason reason, GroupId group) {
        super(reason.advice());
        this.reason = reason;
        this.group = group;
    }

    public Reason reason() {
        return reason;
    }

    /** The group the joiner asked to join. */
    public GroupId group() {
        return group;
    }
}
