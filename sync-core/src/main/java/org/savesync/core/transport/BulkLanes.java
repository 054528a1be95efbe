package org.savesync.core.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;

/**
 * The bulk lanes of one {@link QuicEndpoint}: a TLS 1.3 over TCP connection beside a member QUIC
 * connection that carries the frames given to {@link PeerConnection#sendBulk}, because TLS over
 * TCP moves bulk data at a fraction of QUIC's CPU per byte here ({@code docs/bulk-lane.md}). QUIC
 * keeps everything else; without a lane bulk frames go on QUIC data streams as before.
 *
 * <h2>Protocol</h2>
 * <pre>
 * 0. Every endpoint that listens on UDP port P (address A) listens on TCP A:P too; when that port
 *    cannot be bound it logs one warning and runs without accepting lanes. TransportConfig.bulkLane
 *    false: no listener and no lane dials.
 * 1. Who dials: only the QUIC dialler, once its member-ALPN connection is open (the listener's
 *    ACCEPT arrived), to the connection's remote address over TCP (same IP, same port number).
 *    Not for addresses that are not real IPs (any-local, multicast, 240.0.0.0/4: the relay's
 *    virtual addresses). One dial per QUIC connection; a lane that fails or dies is not redialled.
 * 2. TLS 1.3, mutual, Ed25519 only, ALPN {@value Alpn#BULK}, the node certificates of QUIC. The
 *    dialler pins the node id of the QUIC connection (another key aborts TLS before our certificate
 *    is sent: laneIdentityMismatch); the listener learns the dialler's id from its certificate.
 * 3. Dialler: HELLO = "SSBL" u8 version(1) u8 type(1) dialler instance(16) listener instance(16),
 *    the instance ids of both endpoints from the QUIC HELLO/ACCEPT.
 * 4. Listener: binds the lane to its open inbound member connection from that node id whose peer
 *    instance is the dialler instance, if the listener instance is its own; answers
 *    ACCEPT = "SSBL" 1 2. Otherwise REFUSE = "SSBL" 1 3 reason, then closes (lanesRefused). At
 *    most one connection per node, direction and instance is open (QuicEndpoint.established), so
 *    this names exactly one QUIC connection. A second lane for the same connection replaces the
 *    first (the first is closed), so a lane half-dead on one side never blocks a new one.
 * 5. Both sides: frames as on QUIC streams (u32 length + payload, at most Frames.MAX_FRAME_SIZE;
 *    more closes the lane, framesTooLarge), in both directions; they are delivered to the member
 *    connection's FrameReceiver on its event loop, with the QUIC connection as "from".
 *    Until bound, the frame cap is LaneProtocol.MAX_HANDSHAKE_BYTES and any frame after HELLO
 *    (before ACCEPT) is a protocol error.
 * 6. Limits: TLS and the lane handshake within TransportConfig.handshakeTimeout, else closed;
 *    at most TransportConfig.maxPendingHandshakes inbound TCP connections not yet bound, more are
 *    closed before TLS (laneHandshakesBusy); reading stops while more than 16 MiB of a lane's frames
 *    wait for the connection's loop or inbox, so TCP flow control holds the sender back.
 * 7. Lifecycle: the QUIC connection closing closes its lane; a lane closing only unbinds it (later
 *    bulk frames go on QUIC; frames being written on it fail). Endpoint close closes the listener and
 *    every lane; they run on the endpoint's event loop group, so no thread outlives it.
 * </pre>
 */
final class BulkLanes {
    private static final Logger LOG = Logger.getLogger(BulkLanes.class);

    private final QuicEndpoint endpoint;
    private final NodeTls tls;
    private final UdpIo io;
    private final TransportConfig cfg;
    private final TransportStats stats;
    private final SSLContext serverContext;
    private final AtomicInteger pending = new AtomicInteger();
    /** Inbound lanes that still count against {@link #pending}. */
    private final Set<BulkLane> unbound = ConcurrentHashMap.newKeySet();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private volatile Channel listener;
    private volatile boolean closed;

    BulkLanes(QuicEndpoint endpoint, NodeTls tls, UdpIo io) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.io = io;
        this.cfg = endpoint.config();
        this.stats = endpoint.stats();
        this.serverContext = cfg.bulkLane() ? tls.jdkContext(PeerTrust.listener()) : null;
    }

    TransportConfig config() {
        return cfg;
    }

    TransportStats stats() {
        return stats;
    }

    byte[] instance() {
        return endpoint.instance();
    }

    /** Starts the TCP listener beside the UDP one, unless lanes are off; a port in use only costs the lane. */
    void listen(InetSocketAddress udp) {
        if (!cfg.bulkLane()) {
            return;
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(io.group())
                .channel(io.epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted(ch);
                    }
                });
        ChannelFuture bound = b.bind(udp).awaitUninterruptibly();
        if (bound.isSuccess()) {
            listener = bound.channel();
        } else {
            LOG.warnf("cannot listen on TCP %s for bulk lanes (%s): peers send bulk data to this node over QUIC, "
                    + "which costs more CPU; free that TCP port, or set savesync.bulk-lane=false to silence this",
                    udp, Failure.describe(bound.cause()));
        }
    }

    private void accepted(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        if (pending.incrementAndGet() > cfg.maxPendingHandshakes()) {
            pending.decrementAndGet();
            stats.laneHandshakeBusy();
            ch.close();
            return;
        }
        BulkLane lane = new BulkLane(this, null);
        unbound.add(lane);
        track(ch);
        ch.pipeline().addLast(ssl(serverContext, false), lane);
    }

    private SslHandler ssl(SSLContext ctx, boolean client) {
        SslHandler ssl = new SslHandler(NodeTls.laneEngine(ctx, client));
        ssl.setHandshakeTimeout(cfg.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return ssl;
    }

    private void track(Channel ch) {
        channels.add(ch);
        ch.closeFuture().addListener(f -> channels.remove(ch));
        if (closed) {
            ch.close();
        }
    }

    /** The QUIC dialler's member connection {@code c} is open: dial its lane (if lanes are on and the address is real). */
    void dial(QuicPeerConnection c) {
        if (!cfg.bulkLane() || closed || !Alpn.MEMBER.equals(c.alpn()) || !isRealIp(c.remoteAddress())) {
            return;
        }
        BulkLane lane = new BulkLane(this, c);
        SSLContext ctx = tls.jdkContext(PeerTrust.pinned(c.remote(), lane::identityMismatch));
        Bootstrap b = new Bootstrap()
                .group(loopBeside(c.eventLoop()))
                .channel(io.epoll() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, cfg.handshakeTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        track(ch);
                        ch.pipeline().addLast(ssl(ctx, true), lane);
                    }
                });
        try {
            b.connect(c.remoteAddress()).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    dialFailed(lane, f.cause());
                }
            });
        } catch (RuntimeException e) {
            dialFailed(lane, e);
        }
    }

    /** Another loop of the group than the QUIC connection's, when there is one: TLS and QUIC then use both cores. */
    private EventLoop loopBeside(EventLoop quic) {
        for (EventExecutor e : io.group()) {
            if (e != quic) {
                return (EventLoop) e;
            }
        }
        return quic;
    }

    /** Not a relay's virtual address (240.0.0.0/4), nor any-local or multicast: a host we can dial over TCP. */
    static boolean isRealIp(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null || ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
            return false;
        }
        return !(ip instanceof Inet4Address && (ip.getAddress()[0] & 0xf0) == 0xf0);
    }

    /** The listener side: the open inbound member connection a lane HELLO names, or null. */
    QuicPeerConnection target(NodeId peer, LaneProtocol.Message hello) {
        if (!ownInstance(hello)) {
            return null;
        }
        return endpoint.inboundMember(peer, hello.diallerInstance());
    }

    String whyNoTarget(LaneProtocol.Message hello) {
        return ownInstance(hello)
                ? "no member connection of yours with this instance is open here to bind the lane to"
                : "the lane names another instance of this node (it restarted)";
    }

    private boolean ownInstance(LaneProtocol.Message hello) {
        return HexFormat.of().formatHex(endpoint.instance()).equals(hello.listenerInstance());
    }

    /** A lane was bound or closed before that: its pending place is free; count and say why it failed. */
    void settled(BulkLane lane, boolean bound) {
        if (unbound.remove(lane)) {
            pending.decrementAndGet();
            if (!bound) {
                stats.laneRefused();
                LOG.debugf("refused %s: %s", lane, Failure.describe(lane.cause()));
            }
        } else if (!bound) {
            dialFailed(lane, lane.cause());
        }
    }

    private void dialFailed(BulkLane lane, Throwable cause) {
        stats.laneDialFailed(lane.mismatch() != null);
        if (lane.mismatch() != null) {
            LOG.infof("%s: another node (%s) answered on the TCP port; bulk data stays on QUIC", lane, lane.mismatch());
        } else {
            LOG.debugf("%s did not come up (%s); bulk data stays on QUIC", lane, Failure.describe(cause));
        }
    }

    /** The bound TCP listening address, or null when lanes are off or the port was taken. */
    InetSocketAddress localAddress() {
        Channel l = listener;
        return l == null ? null : (InetSocketAddress) l.localAddress();
    }

    /** Inbound TCP connections not yet bound (for tests). */
    int pending() {
        return pending.get();
    }

    /** Stops the listener and closes every lane. */
    void close() {
        closed = true;
        Channel l = listener;
        if (l != null) {
            l.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (Channel ch : channels) {
            ch.close();
        }
    }
}
