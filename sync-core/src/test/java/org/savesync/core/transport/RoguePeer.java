package org.savesync.core.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;

/**
 * A hostile peer for tests: its own node key, the real TLS and QUIC of the product, and no
 * manners. It dials a real endpoint on either ALPN, does the transport handshake (or not), and
 * then lets a test send anything: domain messages with any field values, frames of any length,
 * raw bytes, any number of streams left open, in any order. What the other side sends back is
 * kept for the test to inspect ({@link RogueConnection}).
 *
 * <p>Everything runs on one NIO event loop per rogue; {@link #close()} stops it and every
 * connection it made. Loopback only, like every network test here.
 */
public final class RoguePeer implements AutoCloseable {
    /** The rogue's own windows: large, so it can always read what it is sent. */
    private static final long WINDOW = 64L * 1024 * 1024;

    private final NodeKey key;
    private final NioEventLoopGroup group;
    private final Channel udp;
    private final List<RogueConnection> connections = new CopyOnWriteArrayList<>();

    private RoguePeer(NodeKey key, InetAddress bind) throws InterruptedException {
        this(key, bind, WINDOW);
    }

    /** {@code window}: the flow-control window it grants per stream (four times that per connection). */
    private RoguePeer(NodeKey key, InetAddress bind, long window) throws InterruptedException {
        this.key = key;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("rogue-" + key.nodeId().shortId(7), true));
        NodeTls tls = new NodeTls(key);
        QuicSslContext member = tls.clientContext(new TrustAnyone(), Alpn.MEMBER);
        QuicSslContext join = tls.clientContext(new TrustAnyone(), Alpn.JOIN);
        ChannelHandler codec = new QuicClientCodecBuilder()
                .sslEngineProvider(ch -> (Alpn.JOIN.equals(ch.attr(RogueConnection.ALPN).get()) ? join : member)
                        .newEngine(ch.alloc()))
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(4 * window)
                .initialMaxStreamDataBidirectionalLocal(window)
                .initialMaxStreamDataBidirectionalRemote(window)
                .initialMaxStreamDataUnidirectional(window)
                .initialMaxStreamsBidirectional(16)
                .initialMaxStreamsUnidirectional(64)
                .build();
        this.udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress(bind, 0)).sync().channel();
    }

    /** 127.0.0.{@code last}: the honest peers of the tests use 127.0.0.1. */
    public static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A rogue with a fresh key: a stranger to every group. */
    public static RoguePeer stranger() {
        return withKey(NodeKey.generate());
    }

    /**
     * A rogue on 127.0.0.1 that grants only {@code window} bytes of flow control per stream: with
     * {@link RogueConnection#stopReading} a peer that asks and never reads.
     */
    public static RoguePeer stingy(NodeKey key, long window) {
        try {
            return new RoguePeer(key, loopback(1), window);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A stranger sending from another loopback address (any of 127.0.0.0/8 works on Linux), for
     * attacks that look like many hosts.
     */
    public static RoguePeer stranger(InetAddress bind) {
        return withKey(NodeKey.generate(), bind);
    }

    /** A rogue with a given key (e.g. the key of a member the test made). */
    public static RoguePeer withKey(NodeKey key) {
        return withKey(key, loopback(1));
    }

    /**
     * A rogue with a given key that sends from {@code bind}, a loopback address (Linux answers all
     * of 127.0.0.0/8): for attacks from another source address than the honest peers' 127.0.0.1.
     */
    public static RoguePeer withKey(NodeKey key, InetAddress bind) {
        if (!bind.isLoopbackAddress()) {
            throw new IllegalArgumentException("rogues stay on loopback, not " + bind);
        }
        try {
            return new RoguePeer(key, bind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public NodeKey key() {
        return key;
    }

    public NodeId nodeId() {
        return key.nodeId();
    }

    /**
     * Dials {@code address} on {@code alpn} and completes the transport handshake (SSTP hello,
     * then waits for the listener's ACCEPT).
     *
     * @throws IOException when the QUIC connection cannot be made or the listener does not accept
     *         within {@code timeout} (it closed, e.g. "not a member"); the connection's close is in the message
     */
    public RogueConnection dial(InetSocketAddress address, String alpn, Duration timeout) throws IOException {
        RogueConnection c = connect(address, alpn, timeout);
        c.sendHandshake();
        c.awaitAccepted(timeout);
        return c;
    }

    /** Dials and stops after TLS: no transport hello is sent (the test decides what comes first). */
    public RogueConnection connect(InetSocketAddress address, String alpn, Duration timeout) throws IOException {
        try {
            QuicChannel ch = QuicChannel.newBootstrap(udp)
                    .attr(RogueConnection.ALPN, alpn)
                    .handler(new RogueConnection.Events())
                    .streamHandler(new RogueConnection.RemoteStreams())
                    .remoteAddress(address)
                    .connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            RogueConnection c = new RogueConnection(ch, alpn);
            connections.add(c);
            return c;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("rogue: cannot connect to " + address + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("rogue: no QUIC connection to " + address + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public List<RogueConnection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() {
        for (RogueConnection c : connections) {
            c.close();
        }
        udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
