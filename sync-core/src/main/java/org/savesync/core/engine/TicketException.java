package org.savesync.core.engine;

import org.savesync.core.protocol.Message.ErrorKind;

/** No ticket: the authority refused (with its reason and kind) or could not be reached. */
public final class TicketException extends RuntimeException {
    private final ErrorKind kind;

    public TicketException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** NOT_A_MEMBER / INVITE_REFUSED when refused, UNSPECIFIED when the authority was unreachable. */
    public ErrorKind kind() {
        return kind;
    }
}
