package org.savesync.core.membership;

import java.time.Instant;

/**
 * An invite token was not accepted. The message is meant for the joiner: it says what happened
 * and what to do, once, without the group (the joiner's side names it) and never the token:
 * "this invite was revoked", "this single-use invite was already used", "this invite reached
 * its limit of N uses", "this invite expired at T".
 */
public final class InviteRefusedException extends RuntimeException {
    private static final String ASK = "; ask a member for a new one";

    /** Why the token was refused. */
    public enum Reason {
        UNKNOWN("this invite is not known to the group's authority (never made there, or used, expired or revoked"
                + " long ago); check that the whole ticket was pasted, or ask a member for a new one"),
        EXPIRED("this invite has expired" + ASK),
        REVOKED("this invite was revoked" + ASK),
        ALREADY_USED("this single-use invite was already used" + ASK),
        /** A reusable invite admitted as many joiners as it was made for. */
        USED_UP("this invite reached its limit of uses" + ASK),
        WRONG_GROUP("this invite is for a different group than the one being joined; use the ticket for this group");

        private final String advice;

        Reason(String advice) {
            this.advice = advice;
        }

        /** The message when the invite's details are not known. */
        public String advice() {
            return advice;
        }
    }

    private final Reason reason;
    private final GroupId group;

    public InviteRefusedException(Reason reason, GroupId group) {
        this(reason, group, reason.advice());
    }

    private InviteRefusedException(Reason reason, GroupId group, String message) {
        super(message);
        this.reason = reason;
        this.group = group;
    }

    /** A refusal that names the invite's limit or expiry where the reason is about them. */
    public static InviteRefusedException of(Reason reason, GroupId group, int maxUses, long expiresAtMillis) {
        return new InviteRefusedException(reason, group, switch (reason) {
            case EXPIRED -> "this invite expired at " + Instant.ofEpochMilli(expiresAtMillis) + ASK;
            case USED_UP -> "this invite reached its limit of " + maxUses + (maxUses == 1 ? " use" : " uses") + ASK;
            default -> reason.advice();
        });
    }

    public Reason reason() {
        return reason;
    }

    /** The group the joiner asked to join. */
    public GroupId group() {
        return group;
    }
}
