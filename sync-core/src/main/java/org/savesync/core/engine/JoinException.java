package org.savesync.core.engine;

import org.savesync.core.protocol.Message.ErrorKind;

/** Joining a group failed; the message says why and what to do. */
public final class JoinException extends RuntimeException {
    private final ErrorKind kind;

    public JoinException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public JoinException(String message, Throwable cause) {
        super(message, cause);
        this.kind = ErrorKind.UNSPECIFIED;
    }

    public ErrorKind kind() {
        return kind;
    }
}
