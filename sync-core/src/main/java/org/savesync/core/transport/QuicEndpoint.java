package org.savesync.core.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.incubator.codec.quic.Quic;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicChannelBootstrap;
import io.netty.incubator.codec.quic.QuicChannelOption;
import io.netty.incubator.codec.quic.QuicClientCodecBuilder;
import io.netty.incubator.codec.quic.QuicCodecBuilder;
import io.netty.incubator.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.incubator.codec.quic.QuicServerCodecBuilder;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslEngine;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ImmediateExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;

/**
 * A node's QUIC endpoint: listens on one UDP port, dials peers from a second (ephemeral) one,
 * and turns QUIC connections into {@link PeerConnection}s between authenticated node ids.
 *
 * <h2>Protocol</h2>
 * <pre>
 * 1. TLS 1.3 inside QUIC, mutual, Ed25519 only; ALPN {@value Alpn#MEMBER} or {@value Alpn#JOIN}.
 *    Dialer: the listener's certificate key must be the node id it dialled, else TLS is aborted
 *            (PeerIdentityMismatchException, stats.refusedIdentityMismatch) before our certificate
 *            or any byte of ours reaches it.
 *    Listener: learns the dialer's node id from its certificate. MEMBER and not
 *            Admission.isMember(id): CONNECTION_CLOSE(app 0x1 NOT_A_MEMBER, "not a member of any
 *            shared group"), stats.refusedNonMember, the ConnectionHandler never hears of it.
 *            JOIN skips the membership check (the join sub-protocol is all a non-member may do).
 * 2. Dialer opens the control stream (its first bidirectional stream) and sends the frame
 *    HELLO   = "SSTP" u8 version(1) u8 type(1)
 * 3. Listener answers on the control stream with
 *    ACCEPT  = "SSTP" u8 version(1) u8 type(2)
 *    and hands the connection to its ConnectionHandler. A hello of another version is closed with
 *    0x3 PROTOCOL_ERROR and a reason naming both versions.
 * 4. The dial future completes when ACCEPT arrives. A close before that fails it: with
 *    PeerRefusedException (code and reason) when the listener closed with an application error.
 *    TLS 1.3 lets the dialer finish its handshake before the listener checks the dialer's
 *    certificate or membership, so the ACCEPT, not the QUIC connect, proves we were accepted.
 *    Neither side delivers application frames before this point; both exchanges must finish
 *    within {@link TransportConfig#handshakeTimeout()} (else 0x4 HANDSHAKE_TIMEOUT).
 * 5. Frames: every stream carries u32 big-endian length + payload, length at most
 *    {@link Frames#MAX_FRAME_SIZE} (4 MiB); a larger announced length closes the connection with
 *    0x2 FRAME_TOO_LARGE. Length 0 is a keep-alive: each side sends one on the control stream when
 *    it wrote nothing for half a {@link TransportConfig#keepAliveInterval()} (checked every interval).
 *    send() uses the control stream (ordered); sendBulk() uses unidirectional data streams that
 *    the sending side opens lazily, at most {@link TransportConfig#dataStreams()} per side.
 *    A second bidirectional stream is a protocol error.
 * 6. Close: QUIC CONNECTION_CLOSE with an application code: 0x0 normal, 0x1 not a member,
 *    0x2 frame too large, 0x3 protocol error, 0x4 handshake timeout, 0x5 internal error; the
 *    reason is UTF-8, at most 200 bytes.
 * </pre>
 *
 * <h2>Bulk lane</h2>
 * Beside the UDP port the endpoint listens on TCP with the same number for bulk lanes, and a
 * member connection it dials gets one: a TLS 1.3 over TCP connection that carries that
 * connection's {@code sendBulk} frames ({@link BulkLanes} has the protocol and limits).
 *
 * <h2>Threads</h2>
 * One event loop group per endpoint, threads named {@code savesync-quic-<first 7 of node id>-…};
 * callbacks ({@link Admission}, {@link ConnectionHandler}, {@link FrameReceiver}, future
 * completions) run on it and must not block. {@link #close()} stops it.
 */
public final class QuicEndpoint implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QuicEndpoint.class);
    private static final AttributeKey<DialAttempt> DIAL = AttributeKey.valueOf("savesync.dial");
    private static final AtomicInteger ENDPOINTS = new AtomicInteger();
    private static final String NOT_A_MEMBER_REASON = "not a member of any shared group";

    private final NodeKey key;
    private final TransportConfig cfg;
    private final Admission admission;
    private final ConnectionHandler handler;
    private final TransportStats stats = new TransportStats();
    private final Set<QuicPeerConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<DialAttempt> dials = ConcurrentHashMap.newKeySet();
    private final Map<SSLEngine, DialAttempt> dialsByEngine = new ConcurrentHashMap<>();
    private final Map<String, QuicSslContext> clientContexts = new ConcurrentHashMap<>();
    private final UdpIo io;
    private final byte[] instance = Protocol.newInstance();
    private final JoinGate joinGate = new JoinGate();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private BulkLanes lanes;
    private volatile Channel serverChannel;
    private volatile Channel clientChannel;
    private volatile boolean closed;

    private QuicEndpoint(NodeKey key, TransportConfig cfg, Admission admission, ConnectionHandler handler) {
        this.key = key;
        this.cfg = cfg;
        this.admission = admission;
        this.handler = handler;
        this.io = new UdpIo(cfg, "savesync-quic-" + key.nodeId().shortId(7) + "-" + ENDPOINTS.incrementAndGet());
    }

    /**
     * Binds {@code bind} (port 0: an ephemeral port, see {@link #localAddress()}) and starts
     * accepting connections.
     *
     * @throws UncheckedIOException when the address cannot be bound
     * @throws IllegalStateException when the native QUIC library is unavailable on this platform
     */
    public static QuicEndpoint start(NodeKey key, InetSocketAddress bind, TransportConfig cfg,
                                     Admission admission, ConnectionHandler handler) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(handler, "handler");
        try {
            Quic.ensureAvailability();
        } catch (Throwable t) {
            throw new IllegalStateException("the native QUIC library is not available on this platform ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")", t);
        }
        QuicEndpoint ep = new QuicEndpoint(key, cfg, admission, handler);
        try {
            ep.bind(bind);
        } catch (Throwable t) {
            ep.close();
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new UncheckedIOException(new IOException("cannot start the QUIC endpoint on " + bind + ": "
                    + Failure.describe(t) + " (is the port in use by another process?)", t));
        }
        LOG.infof("QUIC endpoint of %s listening on %s (%s)%s", key.nodeId(), ep.localAddress(), ep.io.describe(),
                ep.laneAddress() != null ? "; bulk lanes on TCP " + ep.laneAddress() : "");
        return ep;
    }

    private void bind(InetSocketAddress bind) throws Exception {
        NodeTls tls = new NodeTls(key);
        var dialerTrust = PeerTrust.dialer(dialsByEngine::get);
        clientContexts.put(Alpn.MEMBER, tls.clientContext(dialerTrust, Alpn.MEMBER));
        clientContexts.put(Alpn.JOIN, tls.clientContext(dialerTrust, Alpn.JOIN));

        QuicServerCodecBuilder server = tune(new QuicServerCodecBuilder())
                .sslContext(tls.serverContext(PeerTrust.listener()))
                .tokenHandler(NoRetryTokens.INSTANCE)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        if (pendingHandshakes.incrementAndGet() > cfg.maxPendingHandshakes()) {
                            pendingHandshakes.decrementAndGet();
                            stats.handshakesBusy();
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast(new ConnectionEvents(QuicEndpoint.this, null,
                                pendingHandshakes::decrementAndGet));
                    }
                })
                .streamHandler(RemoteStreams.INSTANCE);
        if (io.gso() != null) {
            server.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, io.gso());
        }
        serverChannel = io.bind(bind, server.build());

        ChannelHandler client = tune(new QuicClientCodecBuilder())
                .sslContext(clientContexts.get(Alpn.MEMBER))
                .sslEngineProvider(this::newClientEngine)
                .build();
        InetSocketAddress local = (InetSocketAddress) serverChannel.localAddress();
        clientChannel = io.bind(new InetSocketAddress(local.getAddress(), 0), client);
        lanes = new BulkLanes(this, tls, io);
        lanes.listen(local);
    }

    private <B extends QuicCodecBuilder<B>> B tune(B b) {
        return b.maxIdleTimeout(cfg.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxSendUdpPayloadSize(cfg.maxUdpPayloadBytes())
                .maxRecvUdpPayloadSize(cfg.maxUdpPayloadBytes())
                .initialMaxData(cfg.initialMaxData())
                .initialMaxStreamDataBidirectionalLocal(cfg.initialMaxStreamData())
                .initialMaxStreamDataBidirectionalRemote(cfg.initialMaxStreamData())
                .initialMaxStreamDataUnidirectional(cfg.initialMaxStreamData())
                .initialMaxStreamsBidirectional(cfg.maxStreamsBidirectional())
                .initialMaxStreamsUnidirectional(cfg.maxStreamsUnidirectional())
                .congestionControlAlgorithm(QuicCongestionControlAlgorithm.valueOf(cfg.congestionControl().name()))
                .sslTaskExecutor(ImmediateExecutor.INSTANCE);
    }

    private QuicSslEngine newClientEngine(QuicChannel ch) {
        DialAttempt dial = ch.attr(DIAL).get();
        if (dial == null) {
            throw new IllegalStateException("a QUIC client channel without a dial attempt");
        }
        QuicSslEngine engine = clientContexts.get(dial.alpn()).newEngine(ch.alloc());
        dial.engine(engine);
        dialsByEngine.put(engine, dial);
        return engine;
    }

    /** The bound listening address (with the real port when started on port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The TCP address bulk lanes are accepted on, or null (lanes off, or the TCP port was taken). */
    public InetSocketAddress laneAddress() {
        return lanes == null ? null : lanes.localAddress();
    }

    BulkLanes lanes() {
        return lanes;
    }

    /** The open inbound member connection from {@code peer} whose instance is {@code peerInstance} (hex), or null. */
    QuicPeerConnection inboundMember(NodeId peer, String peerInstance) {
        for (QuicPeerConnection c : connections) {
            if (c.inbound() && c.isOpen() && Alpn.MEMBER.equals(c.alpn()) && c.remote().equals(peer)
                    && peerInstance.equals(c.peerInstance())) {
                return c;
            }
        }
        return null;
    }

    /** This endpoint's node id. */
    public NodeId nodeId() {
        return key.nodeId();
    }

    public TransportStats stats() {
        return stats;
    }

    TransportConfig config() {
        return cfg;
    }

    /** For timers of helpers that live and die with this endpoint (e.g. {@link Redialer}). */
    ScheduledExecutorService scheduler() {
        return io.group().next();
    }

    String threadNamePrefix() {
        return io.threadPrefix();
    }

    /**
     * Dials {@code expected} at {@code address} with {@code alpn}. Completes with an open
     * connection once the peer accepted us; fails with {@link PeerIdentityMismatchException},
     * {@link PeerRefusedException}, or an {@link IOException} (unreachable, timeout).
     */
    public CompletableFuture<PeerConnection> dial(InetSocketAddress address, NodeId expected, String alpn) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(expected, "expected");
        if (!Alpn.isKnown(alpn)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown ALPN '" + alpn
                    + "'; use Alpn.MEMBER or Alpn.JOIN"));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("the QUIC endpoint is closed"));
        }
        DialAttempt dial = new DialAttempt(address, expected, alpn);
        dials.add(dial);
        dial.future().whenComplete((c, e) -> {
            dials.remove(dial);
            QuicSslEngine engine = dial.engine();
            if (engine != null) {
                dialsByEngine.remove(engine);
            }
        });
        QuicChannelBootstrap b = QuicChannel.newBootstrap(clientChannel)
                .attr(DIAL, dial)
                .handler(new ConnectionEvents(this, dial, null))
                .streamHandler(RemoteStreams.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, cfg.handshakeTimeout().toMillis()))
                .remoteAddress(address);
        if (io.gso() != null) {
            b.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, io.gso());
        }
        try {
            b.connect().addListener(f -> {
                if (!f.isSuccess()) {
                    dial.future().completeExceptionally(connectFailure(dial, f.cause()));
                }
            });
        } catch (RuntimeException e) {
            dial.future().completeExceptionally(new IOException("cannot dial " + address + ": " + Failure.describe(e), e));
        }
        return dial.future();
    }

    private Throwable connectFailure(DialAttempt dial, Throwable cause) {
        NodeId actual = dial.mismatch();
        if (actual != null) {
            stats.identityMismatch();
            LOG.infof("dialled %s at %s but %s answered; aborted the handshake", dial.expected(), dial.address(), actual);
            return new PeerIdentityMismatchException(dial.expected(), actual, dial.address());
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return PeerUnreachableException.noAnswer(dial.address(), cfg.handshakeTimeout());
        }
        if (cause instanceof java.net.SocketException
                || cause.getClass().getName().equals("io.netty.channel.unix.Errors$NativeIoException")) {
            return PeerUnreachableException.network(dial.address(), Failure.describe(cause));
        }
        return new IOException("cannot connect to " + PeerUnreachableException.shown(dial.address()) + ": "
                + Failure.describe(cause), cause);
    }

    /** A QUIC channel finished TLS: identify the peer, admit it, start the transport handshake. */
    void onActive(QuicChannel ch, DialAttempt dial) {
        NodeId peer;
        try {
            peer = NodeTls.peerIdOf(ch.sslEngine().getSession());
        } catch (CertificateException | SSLPeerUnverifiedException e) {
            PeerLog.warn(LOG, "closing a connection from %s: %s", ch.remoteSocketAddress(), Failure.describe(e));
            closeChannel(ch, Protocol.CLOSE_PROTOCOL_ERROR, "bad certificate");
            if (dial != null) {
                dial.future().completeExceptionally(new IOException("the peer at " + dial.address()
                        + " presented no usable certificate: " + Failure.describe(e), e));
            }
            return;
        }
        if (closed) {
            closeChannel(ch, Protocol.CLOSE_NORMAL, "endpoint shutting down");
            return;
        }
        if (dial != null) {
            if (!peer.equals(dial.expected())) {
                // The trust manager already checks this; a resumed TLS session would skip it.
                dial.identityMismatch(peer);
                closeChannel(ch, Protocol.CLOSE_PROTOCOL_ERROR, "unexpected identity");
                dial.future().completeExceptionally(connectFailure(dial, null));
                return;
            }
            QuicPeerConnection c = new QuicPeerConnection(this, ch, peer, dial.alpn(), dial);
            connections.add(c);
            c.startOutbound();
            return;
        }
        String alpn = ch.sslEngine().getApplicationProtocol();
        if (!Alpn.isKnown(alpn)) {
            closeChannel(ch, Protocol.CLOSE_PROTOCOL_ERROR, "unknown ALPN");
            return;
        }
        if (Alpn.MEMBER.equals(alpn) && !isMember(peer)) {
            stats.nonMember();
            LOG.debugf("refused %s from %s: %s", peer, ch.remoteSocketAddress(), NOT_A_MEMBER_REASON);
            closeChannel(ch, Protocol.CLOSE_NOT_A_MEMBER, NOT_A_MEMBER_REASON);
            return;
        }
        InetAddress source = ((InetSocketAddress) ch.remoteSocketAddress()).getAddress();
        if (Alpn.JOIN.equals(alpn) && !joinGate.tryEnter(source)) {
            stats.joinBusy();
            LOG.debugf("refused a join connection of %s from %s: %d open in total, cap %d per address and %d in all",
                    peer, source, joinGate.open(), JoinGate.MAX_PER_ADDRESS, JoinGate.MAX_CONNECTIONS);
            closeChannel(ch, Protocol.CLOSE_BUSY, "too many join connections; try again in a minute");
            return;
        }
        QuicPeerConnection c = new QuicPeerConnection(this, ch, peer, alpn, null);
        if (Alpn.JOIN.equals(alpn)) {
            c.closeFuture().whenComplete((v, e) -> joinGate.leave(source));
        }
        connections.add(c);
        c.startInbound();
    }

    /**
     * A connection finished the transport handshake. Member connections: at most one per node and
     * direction (a newer one replaces the older, 0x7 REPLACED), and a peer that comes back with a
     * new instance id restarted, so every connection of its old instance is stale and closed at once
     * (the redialer then dials the new one) instead of waiting for the idle timeout.
     */
    void established(QuicPeerConnection c) {
        if (!Alpn.MEMBER.equals(c.alpn())) {
            return;
        }
        for (QuicPeerConnection o : connections) {
            if (o == c || !o.isOpen() || !Alpn.MEMBER.equals(o.alpn()) || !o.remote().equals(c.remote())) {
                continue;
            }
            if (!c.peerInstance().equals(o.peerInstance())) {
                stats.peerRestarted();
                LOG.infof("%s restarted (new instance); closing the stale %s", c.remote().shortId(7), o);
                o.abandon(Protocol.CLOSE_REPLACED, "you restarted",
                        new PeerRestartedException(c.remote(), c.remoteAddress()));
            } else if (o.inbound() == c.inbound()) {
                stats.replaced();
                LOG.debugf("a newer %s replaces %s", c, o);
                o.closeLater(Protocol.CLOSE_REPLACED, "replaced by a newer connection",
                        new ConnectionClosedException(c.remote(), true, Protocol.CLOSE_REPLACED,
                                "replaced", "a newer connection with " + c.remote() + " replaced this one"));
            }
        }
    }

    /** This endpoint's instance id, drawn at start; peers see a new one after a restart. */
    byte[] instance() {
        return instance.clone();
    }

    /** Join connections open on the listening side now (for tests and metrics). */
    public int joinConnectionsOpen() {
        return joinGate.open();
    }

    private boolean isMember(NodeId peer) {
        try {
            return admission.isMember(peer);
        } catch (RuntimeException e) {
            LOG.errorf(e, "admission check for %s failed; refusing it", peer);
            return false;
        }
    }

    private static void closeChannel(QuicChannel ch, int code, String reason) {
        ch.close(true, code, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }

    /** The listener's side of the handshake is done: hand the connection to the application. */
    void accepted(QuicPeerConnection c) {
        stats.connectionInbound();
        try {
            handler.onConnection(c);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "the connection handler threw for %s; closing it", c);
            c.closeWith(Protocol.CLOSE_INTERNAL_ERROR, "internal error", e);
        }
    }

    void forget(QuicPeerConnection c) {
        connections.remove(c);
    }

    /**
     * Closes every connection (normal close, reason "endpoint shutting down"), fails pending
     * dials, closes both UDP channels and stops the event loop threads. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (QuicPeerConnection c : connections) {
            c.close("endpoint shutting down");
            closing.add(c.closeFuture());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture[0])).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("not every connection confirmed its close: %s", e.toString());
        }
        for (DialAttempt d : dials) {
            d.future().completeExceptionally(new IOException("the QUIC endpoint closed while dialling " + d.address()));
        }
        if (lanes != null) {
            lanes.close();
        }
        closeQuietly(clientChannel);
        closeQuietly(serverChannel);
        try {
            io.shutdown(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while waiting for the QUIC event loop to stop");
        }
        dialsByEngine.clear();
        LOG.debugf("QUIC endpoint of %s closed", key.nodeId());
    }

    /**
     * Test hook: stops the way a killed process does. The UDP sockets close first, so the peers
     * hear no CONNECTION_CLOSE and keep their connections to this endpoint until they notice by
     * themselves; then everything else closes as in {@link #close()}.
     */
    public void crashForTests() {
        closeQuietly(clientChannel);
        closeQuietly(serverChannel);
        close();
    }

    private static void closeQuietly(Channel ch) {
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
