package org.savesync.core.transport;

import java.io.IOException;
import org.savesync.core.identity.NodeId;

/**
 * A connection had more bytes waiting to be sent than {@link TransportConfig#maxPendingSendBytes()}:
 * the peer does not read (its flow control holds our data back). The connection is closed with
 * 0x6 BUSY; the redialer makes a new one later.
 */
public final class SendBudgetExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId peer;
    private final long pendingBytes;
    private final long budget;

    public SendBudgetExceededException(NodeId peer, long pendingBytes, long budget) {
        super(peer + " read nothing while " + pendingBytes + " bytes waited to be sent to it (budget " + budget
                + " bytes, TransportConfig.maxPendingSendBytes); closed the connection so it cannot hold our memory");
        this.peer = peer;
        this.pendingBytes = pendingBytes;
        this.budget = budget;
    }

    public NodeId peer() {
        return peer;
    }

    public long pendingBytes() {
        return pendingBytes;
    }

    public long budget() {
        return budget;
    }
}
