package org.savesync.core.replication;

/**
 * A received entry was refused before being stored: its bytes are not a canonical entry, a
 * field is invalid, or it is not admissible in the group. Drop it, do not forward it, and
 * report the sender. {@link #reason()} is suitable as a metrics tag.
 */
public final class InvalidEntryException extends RuntimeException {
    /** Why the entry was refused. */
    public enum Reason {
        /** Truncated, trailing bytes, a bad length or presence byte, or text that is not UTF-8. */
        MALFORMED,
        /** The domain tag is not {@code savesync/entry/v1}: not an entry, or one from a newer SaveSync. */
        UNSUPPORTED_FORMAT,
        /** A type code this version does not know. */
        UNKNOWN_TYPE,
        /** The path breaks a {@link SafePath} rule (the cause says which). */
        UNSAFE_PATH,
        /** A field is out of range or does not fit the entry's type. */
        INVALID_FIELD,
        /** Version vector not in ascending node-id order, or a node listed twice. */
        NOT_CANONICAL,
        /** The entry belongs to another group than the one it was received for. */
        WRONG_GROUP,
        /** The author is not on the member list, or its role may not write. */
        NOT_A_WRITER,
        /** Its HLC is more than {@link Hlc#MAX_FUTURE_SKEW} ahead of this node's clock. */
        TOO_FAR_AHEAD
    }

    private final Reason reason;

    public InvalidEntryException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    public InvalidEntryException(Reason reason, String detail, Throwable cause) {
        super("entry refused (" + reason + "): " + detail, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
