package org.savesync.core.transport;

import io.netty.incubator.codec.quic.QuicSslEngine;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;

/** One outgoing dial: what we expect, and what happened to it. */
final class DialAttempt {
    private final InetSocketAddress address;
    private final NodeId expected;
    private final String alpn;
    private final CompletableFuture<PeerConnection> future = new CompletableFuture<>();
    private volatile NodeId mismatch;
    private volatile QuicSslEngine engine;

    DialAttempt(InetSocketAddress address, NodeId expected, String alpn) {
        this.address = address;
        this.expected = expected;
        this.alpn = alpn;
    }

    InetSocketAddress address() {
        return address;
    }

    NodeId expected() {
        return expected;
    }

    String alpn() {
        return alpn;
    }

    CompletableFuture<PeerConnection> future() {
        return future;
    }

    void identityMismatch(NodeId actual) {
        this.mismatch = actual;
    }

    /** The node id that answered instead of the expected one, or null. */
    NodeId mismatch() {
        return mismatch;
    }

    void engine(QuicSslEngine engine) {
        this.engine = engine;
    }

    QuicSslEngine engine() {
        return engine;
    }
}
