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
    private final LongAdder refusedJoinBusy = new LongAdder();
    private final LongAdder refusedHandshakesBusy = new LongAdder();
    private final LongAdder closedSendBudget = new LongAdder();
    private final LongAdder closedReplaced = new LongAdder();
    private final LongAdder closedPeerRestarted = new LongAdder();

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

    /** Join connections closed at once (0x6 BUSY): the per-address or total cap of open join connections was reached. */
    public long refusedJoinBusy() {
        return refusedJoinBusy.sum();
    }

    /** Inbound QUIC connections dropped during TLS because {@link TransportConfig#maxPendingHandshakes()} were in progress. */
    public long refusedHandshakesBusy() {
        return refusedHandshakesBusy.sum();
    }

    /** Connections closed because the peer read nothing past {@link TransportConfig#maxPendingSendBytes()}. */
    public long closedSendBudget() {
        return closedSendBudget.sum();
    }

    /** Older member connections closed because the same node made a newer one in the same direction. */
    public long closedReplaced() {
        return closedReplaced.sum();
    }

    /** Member connections closed because the peer came back with a new instance id (it restarted). */
    public long closedPeerRestarted() {
        return closedPeerRestarted.sum();
    }

    void joinBusy() {
        refusedJoinBusy.increment();
    }

    void handshakesBusy() {
        refusedHandshakesBusy.increment();
    }

    void sendBudgetExceeded() {
        closedSendBudget.increment();
    }

    void replaced() {
        closedReplaced.increment();
    }

    void peerRestarted() {
        closedPeerRestarted.increment();
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
                + ", bytesReceived=" + bytesReceived() + ", joinBusy=" + refusedJoinBusy()
                + ", handshakesBusy=" + refusedHandshakesBusy() + ", sendBudget=" + closedSendBudget()
                + ", replaced=" + closedReplaced() + ", peerRestarted=" + closedPeerRestarted() + '}';
    }
}
