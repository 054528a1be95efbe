package org.savesync.core.transport;

import java.io.IOException;
import org.savesync.core.identity.NodeId;

/**
 * The peer closed an established connection with an error (a QUIC application error code other
 * than 0, or a transport error), or the connection timed out.
 */
public final class ConnectionClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId peer;
    private final long code;
    private final boolean applicationError;
    private final String reason;

    public ConnectionClosedException(NodeId peer, boolean applicationError, long code, String reason, String message) {
        super(message);
        this.peer = peer;
        this.code = code;
        this.applicationError = applicationError;
        this.reason = reason;
    }

    public NodeId peer() {
        return peer;
    }

    /** The QUIC error code (application space when {@link #applicationError()}, else transport space). */
    public long code() {
        return code;
    }

    public boolean applicationError() {
        return applicationError;
    }

    /** The reason text from the peer, or a local description for timeouts. */
    public String reason() {
        return reason;
    }
}
