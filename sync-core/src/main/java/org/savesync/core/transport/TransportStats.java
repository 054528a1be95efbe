package org.savesync.core.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link QuicEndpoint}, for metrics. Frames and bytes count application frames
 * and their payload bytes only (no headers, keep-alives or handshake messages).
 */
public final class TransportStats {
    private final LongAdder connectionsInbound = new LongAdder();
    private final LongAdder connectionsOutbound = new LongAdder();
    private final LongAdder refusedIdentityMismatch = new LongAdder();
    private final LongAdder refusedNonMember = new LongAdder();
    private final LongAdder framesTooLarge = new LongAdder();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();

    /** Inbound connections that completed the handshake and went to the {@link ConnectionHandler}. */
    public long connectionsInbound() {
        return connectionsInbound.sum();
    }

    /** Dials that completed (the peer accepted us). */
    public long connectionsOutbound() {
        return connectionsOutbound.sum();
    }

    /** Dials aborted because the node at the address was not the node we expected. */
    public long refusedIdentityMismatch() {
        return refusedIdentityMismatch.sum();
    }

    /** Inbound MEMBER connections refused because the dialer is not a member. */
    public long refusedNonMember() {
        return refusedNonMember.sum();
    }

    /** Connections closed because the peer announced a frame above {@link Frames#MAX_FRAME_SIZE}. */
    public long framesTooLarge() {
        return framesTooLarge.sum();
    }

    public long framesSent() {
        return framesSent.sum();
    }

    public long framesReceived() {
        return framesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    void connectionInbound() {
        connectionsInbound.increment();
    }

    void connectionOutbound() {
        connectionsOutbound.increment();
    }

    void identityMismatch() {
        refusedIdentityMismatch.increment();
    }

    void nonMember() {
        refusedNonMember.increment();
    }

    void frameTooLarge() {
        framesTooLarge.increment();
    }

    void frameSent(int payloadBytes) {
        framesSent.increment();
        bytesSent.add(payloadBytes);
    }

    void frameReceived(int payloadBytes) {
        framesReceived.increment();
        bytesReceived.add(payloadBytes);
    }

    @Override
    public String toString() {
        return "TransportStats{in=" + connectionsInbound() + ", out=" + connectionsOutbound()
                + ", identityMismatch=" + refusedIdentityMismatch() + ", nonMember=" + refusedNonMember()
                + ", framesTooLarge=" + framesTooLarge() + ", framesSent=" + framesSent()
                + ", framesReceived=" + framesReceived() + ", bytesSent=" + bytesSent()
                + ", bytesReceived=" + bytesReceived() + '}';
    }
}
