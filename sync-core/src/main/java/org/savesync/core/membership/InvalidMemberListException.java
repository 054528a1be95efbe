package org.savesync.core.membership;

/**
 * A received member list (or another signed record of the membership protocol: a leave, a
 * handover) was refused: its bytes are not canonical, or its signature is not the one it must
 * carry. Never store or forward such a record; report the sender.
 */
public final class InvalidMemberListException extends RuntimeException {
    /** Why the list was refused. */
    public enum Reason {
        /** Truncated, trailing bytes, a length out of range, or text that is not UTF-8. */
        MALFORMED,
        /** The domain tag is not {@code savesync/members/v1}: not a member list, or one from a newer SaveSync. */
        UNSUPPORTED_FORMAT,
        /** A field is out of range (version 0, a bad name, the authority missing from its list, ...). */
        INVALID_FIELD,
        /** Members not in ascending node-id order. */
        NOT_CANONICAL,
        /** The same node id twice. */
        DUPLICATE_MEMBER,
        /** A role code this version does not know. */
        UNKNOWN_ROLE,
        /** The signature is not the named authority's signature over the bytes. */
        BAD_SIGNATURE
    }

    private final Reason reason;

    public InvalidMemberListException(Reason reason, String detail) {
        this("member list", reason, detail);
    }

    /**
     * A refused record of the membership protocol other than a list.
     *
     * @param record what was refused: "leave", "handover"
     */
    public InvalidMemberListException(String record, Reason reason, String detail) {
        super(record + " refused (" + reason + "): " + detail + "; the sender has a corrupt or forged " + record
                + ", or runs an incompatible SaveSync version");
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
