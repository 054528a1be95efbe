package org.savesync.core.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link QuicEndpoint} (and its bulk lanes), for metrics. Frames and bytes count application frames
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
    private final LongAdder bulkBytesSentTcp = new LongAdder();
    private final LongAdder bulkBytesSentQuic = new LongAdder();
    private final LongAdder bulkBytesReceivedTcp = new LongAdder();
    private final LongAdder bulkBytesReceivedQuic = new LongAdder();
    private final LongAdder lanesBound = new LongAdder();
    private final LongAdder laneDialsFailed = new LongAdder();
    private final LongAdder laneIdentityMismatch = new LongAdder();
    private final LongAdder lanesRefused = new LongAdder();
    private final LongAdder laneHandshakesBusy = new LongAdder();

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

    /** Payload bytes of bulk frames handed to a TLS over TCP bulk lane's socket. */
    public long bulkBytesSentTcp() {
        return bulkBytesSentTcp.sum();
    }

    /** Payload bytes of bulk frames handed to QUIC data streams (no lane bound, or lanes off). */
    public long bulkBytesSentQuic() {
        return bulkBytesSentQuic.sum();
    }

    /** Payload bytes of frames received on bulk lanes. */
    public long bulkBytesReceivedTcp() {
        return bulkBytesReceivedTcp.sum();
    }

    /** Payload bytes of frames received on QUIC data streams. */
    public long bulkBytesReceivedQuic() {
        return bulkBytesReceivedQuic.sum();
    }

    /** Bulk lanes bound to a member connection (either side: the dialler on ACCEPT, the listener on binding). */
    public long lanesBound() {
        return lanesBound.sum();
    }

    /** Lanes this node dialled that did not come up (unreachable, refused, TLS failed, another node answered). */
    public long laneDialsFailed() {
        return laneDialsFailed.sum();
    }

    /** Lane dials aborted in TLS because another node than the QUIC connection's answered on the TCP port. */
    public long laneIdentityMismatch() {
        return laneIdentityMismatch.sum();
    }

    /** Inbound TCP connections closed before binding: TLS failed, bad hello, or no member connection to bind to. */
    public long lanesRefused() {
        return lanesRefused.sum();
    }

    /** Inbound TCP connections closed at once because {@link TransportConfig#maxPendingHandshakes()} lanes were pending. */
    public long laneHandshakesBusy() {
        return laneHandshakesBusy.sum();
    }

    void bulkSent(boolean tcp, int payloadBytes) {
        (tcp ? bulkBytesSentTcp : bulkBytesSentQuic).add(payloadBytes);
    }

    void bulkReceived(boolean tcp, int payloadBytes) {
        (tcp ? bulkBytesReceivedTcp : bulkBytesReceivedQuic).add(payloadBytes);
    }

    void laneBound() {
        lanesBound.increment();
    }

    void laneDialFailed(boolean identityMismatch) {
        laneDialsFailed.increment();
        if (identityMismatch) {
            laneIdentityMismatch.increment();
        }
    }

    void laneRefused() {
        lanesRefused.increment();
    }

    void laneHandshakeBusy() {
        laneHandshakesBusy.increment();
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
                + ", replaced=" + closedReplaced() + ", peerRestarted=" + closedPeerRestarted()
                + ", bulkSentTcp=" + bulkBytesSentTcp() + ", bulkSentQuic=" + bulkBytesSentQuic()
                + ", bulkReceivedTcp=" + bulkBytesReceivedTcp() + ", bulkReceivedQuic=" + bulkBytesReceivedQuic()
                + ", lanesBound=" + lanesBound() + ", laneDialsFailed=" + laneDialsFailed()
                + ", laneIdentityMismatch=" + laneIdentityMismatch() + ", lanesRefused=" + lanesRefused()
                + ", laneHandshakesBusy=" + laneHandshakesBusy() + '}';
    }
}
