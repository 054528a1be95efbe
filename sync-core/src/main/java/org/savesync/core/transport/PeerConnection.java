package org.savesync.core.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;

/**
 * One authenticated QUIC connection to a peer node. All methods are safe to call from any
 * thread; futures complete on the connection's event-loop thread, so do not block in their
 * callbacks.
 */
public interface PeerConnection {
    /** The node id the peer proved in TLS. */
    NodeId remote();

    /** The negotiated ALPN, one of {@link Alpn}. */
    String alpn();

    /** The UDP address of the peer. */
    InetSocketAddress remoteAddress();

    /** True when the peer dialled us. */
    boolean inbound();

    /** True until the connection closes (for any reason). */
    boolean isOpen();

    /**
     * Sets (or replaces) the receiver of this connection's frames. Frames that arrive before a
     * receiver is set are buffered (up to 16 MiB; past that, reading pauses and QUIC flow control
     * holds the peer back), then delivered to the first receiver; if the connection already closed,
     * the receiver then gets {@link FrameReceiver#onClosed} after them.
     */
    void setReceiver(FrameReceiver receiver);

    /**
     * Sends a frame on the control stream: frames sent with this method arrive in order. The
     * future completes when the frame was handed to the QUIC stream, or fails (e.g.
     * {@link FrameTooLargeException} above {@link Frames#MAX_FRAME_SIZE}, {@link IllegalArgumentException}
     * for an empty frame, which would be a keep-alive, or an {@link java.io.IOException} when the
     * connection is closed).
     */
    CompletableFuture<Void> send(byte[] frame);

    /**
     * Sends a frame for big payloads such as chunks: on the connection's TLS over TCP bulk lane
     * when one is bound ({@link BulkLanes}), else on one of the QUIC data streams (the least busy
     * one; new ones are opened lazily up to {@link TransportConfig#dataStreams()}). Not ordered
     * relative to any other frame. The future completes only when the frame was handed to the
     * QUIC stream or the lane's TCP socket (and fails if the lane fails), so a caller bounds its
     * memory by bounding the number of incomplete futures.
     */
    CompletableFuture<Void> sendBulk(byte[] frame);

    /** Closes the connection normally (QUIC application code 0) with a short reason for the peer's logs. */
    void close(String reason);

    /** Completes (normally, whatever the reason) once the connection is closed. */
    CompletableFuture<Void> closeFuture();
}
