package org.savesync.core.membership;

/** A pasted invite ticket could not be read. The message says what to do about it. */
public final class InvalidTicketException extends IllegalArgumentException {
    /** What is wrong with the ticket. */
    public enum Reason {
        /** Does not start with {@code savesync1}: not a SaveSync ticket at all. */
        BAD_PREFIX,
        /** Characters outside base32, or the checksum does not match: mistyped or cut short. */
        MISTYPED,
        /** A layout version this SaveSync does not know. */
        UNSUPPORTED_VERSION,
        /** The checksum holds but a field is out of range: made by a broken or incompatible program. */
        BAD_FIELD
    }

    private final Reason reason;

    public InvalidTicketException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
