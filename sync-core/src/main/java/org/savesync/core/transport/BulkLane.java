package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;

/**
 * One TCP connection of the bulk lane, either side: after TLS, the lane handshake (HELLO, then
 * ACCEPT or REFUSE, see {@link BulkLanes}), then frames both ways for the member connection it is
 * bound to. Frames read are handed to that connection's event loop; while more than
 * {@link #MAX_IN_FLIGHT_BYTES} of them wait there (or its inbox holds too much for want of a
 * receiver), reading stops and TCP flow control holds the sender back. State is confined to the
 * lane's own event loop unless a field says otherwise.
 */
final class BulkLane extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(BulkLane.class);
    /** Bytes read from the lane and not yet taken by the connection's inbox, before reading is held. */
    static final long MAX_IN_FLIGHT_BYTES = Inbox.MAX_UNDELIVERED_BYTES;

    private enum State { TLS, HELLO, BINDING, BOUND, CLOSED }

    private final BulkLanes lanes;
    private final TransportStats stats;
    /** The dialler's connection (known from the start); null on the listening side until bound. */
    private volatile QuicPeerConnection connection;
    private final boolean dialler;
    private final FrameParser parser = new FrameParser(
            () -> this.state == State.BOUND ? Frames.MAX_FRAME_SIZE : LaneProtocol.MAX_HANDSHAKE_BYTES);
    private final AtomicLong inFlight = new AtomicLong();
    /** Written on the lane's loop, read by the connection's loop when it took frames. */
    private volatile boolean heldByFlight;
    /** The node another one answered as, when the dialler's TLS pinning refused it. */
    private volatile NodeId mismatch;

    private volatile Channel channel;
    /** Written by whichever thread writes; read by the keep-alive timer. */
    private volatile long lastWriteNanos = System.nanoTime();
    private long lastReadNanos = System.nanoTime();
    private ScheduledFuture<?> keepAlive;
    private State state = State.TLS;
    private NodeId peer;
    private ScheduledFuture<?> timer;
    private boolean heldByInbox;
    private boolean broken;
    private Throwable cause;

    /** @param dialledFor the member connection the dialler opens this lane for, or null on the listening side */
    BulkLane(BulkLanes lanes, QuicPeerConnection dialledFor) {
        this.lanes = lanes;
        this.stats = lanes.stats();
        this.connection = dialledFor;
        this.dialler = dialledFor != null;
    }

    /** The dialler's TLS trust saw another node at the address. */
    void identityMismatch(NodeId actual) {
        mismatch = actual;
    }

    NodeId mismatch() {
        return mismatch;
    }

    // ---- events -------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        long timeout = lanes.config().handshakeTimeout().toNanos();
        timer = channel.eventLoop().schedule(() -> {
            if (state != State.BOUND && state != State.CLOSED) {
                fail(new IOException("the bulk lane handshake with " + channel.remoteAddress() + " did not finish within "
                        + lanes.config().handshakeTimeout()));
            }
        }, timeout, TimeUnit.NANOSECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && state == State.TLS) {
            if (!done.isSuccess()) {
                fail(mismatch != null ? new PeerIdentityMismatchException(connection.remote(), mismatch,
                        connection.remoteAddress()) : done.cause());
                return;
            }
            onTlsDone(ctx.pipeline().get(SslHandler.class).engine());
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onTlsDone(SSLEngine engine) {
        if (!Alpn.BULK.equals(engine.getApplicationProtocol())) {
            fail(new Protocol.ProtocolViolation("the TLS peer at " + channel.remoteAddress() + " does not speak "
                    + Alpn.BULK));
            return;
        }
        try {
            peer = NodeTls.peerIdOf(engine.getSession());
        } catch (CertificateException | SSLPeerUnverifiedException e) {
            fail(e);
            return;
        }
        state = State.HELLO;
        if (dialler) {
            QuicPeerConnection c = connection;
            write(LaneProtocol.hello(lanes.instance(), HexFormat.of().parseHex(c.peerInstance())));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        try {
            if (!broken && msg instanceof ByteBuf buf) {
                parser.feed(buf, this::onFrame);
            }
        } catch (FrameTooLargeException e) {
            broken = true;
            stats.frameTooLarge();
            if (state == State.BOUND) {
                PeerLog.warn(LOG, "%s announced a frame of %d bytes (limit %d); closing the lane", this, e.length(), e.max());
            } else {
                // Not bound yet: anyone with a key may get here; the counter has it, our log does not.
                LOG.debugf("%s announced a frame of %d bytes (limit %d) in its handshake; closing it", this, e.length(), e.max());
            }
            fail(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(byte[] payload) {
        switch (state) {
            case BOUND -> deliver(payload);
            case HELLO -> onHandshake(payload);
            case BINDING -> fail(new Protocol.ProtocolViolation(channel.remoteAddress()
                    + " sent a frame before the lane was accepted"));
            default -> { }
        }
    }

    private void onHandshake(byte[] payload) {
        LaneProtocol.Message m;
        try {
            m = LaneProtocol.parse(payload);
        } catch (Protocol.ProtocolViolation e) {
            refuse(e.getMessage(), e);
            return;
        }
        if (dialler && m.type() == LaneProtocol.ACCEPT) {
            bound(connection);
            connection.attachLane(this, ok -> { });
        } else if (dialler && m.type() == LaneProtocol.REFUSE) {
            fail(new IOException(connection.remote() + " refused the bulk lane: " + m.reason()));
        } else if (!dialler && m.type() == LaneProtocol.HELLO) {
            state = State.BINDING;
            QuicPeerConnection c = lanes.target(peer, m);
            if (c == null) {
                refuse(lanes.whyNoTarget(m), null);
                return;
            }
            // Known before the attach runs, so a close meanwhile unbinds it (channelInactive).
            connection = c;
            c.attachLane(this, ok -> channel.eventLoop().execute(() -> {
                if (state != State.BINDING) {
                    return;
                }
                if (!ok) {
                    refuse("the member connection of this lane closed", null);
                    return;
                }
                write(LaneProtocol.accept());
                bound(c);
            }));
        } else {
            refuse("unexpected lane handshake message " + m.type(), null);
        }
    }

    private void bound(QuicPeerConnection c) {
        connection = c;
        state = State.BOUND;
        timer.cancel(false);
        stats.laneBound();
        lanes.settled(this, true);
        LOG.debugf("bulk lane up: %s", this);
        long every = lanes.config().keepAliveInterval().toNanos();
        if (every > 0) {
            lastReadNanos = System.nanoTime();
            keepAlive = channel.eventLoop().scheduleAtFixedRate(() -> keepAlive(every), every, every, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * As on QUIC: an empty frame when we wrote nothing for half the interval, and a lane that
     * heard nothing for the idle timeout while it was reading is closed (its path broke; TCP
     * alone would notice only after minutes of retransmissions).
     */
    private void keepAlive(long every) {
        long now = System.nanoTime();
        if (heldByInbox || heldByFlight) {
            lastReadNanos = now; // we do not read on purpose; the peer is not silent
        } else if (now - lastReadNanos > lanes.config().idleTimeout().toNanos()) {
            fail(new IOException("nothing from the " + this + " for " + lanes.config().idleTimeout()
                    + ": its path broke; bulk frames go over QUIC"));
            return;
        }
        if (now - lastWriteNanos >= every / 2) {
            lastWriteNanos = now;
            channel.writeAndFlush(Frames.keepAlive(channel.alloc()));
        }
    }

    /** The listener refuses: it says why (for the dialler's log), then closes. */
    private void refuse(String reason, Throwable why) {
        if (!dialler && channel.isActive()) {
            write(LaneProtocol.refuse(reason));
        }
        fail(why != null ? why : new IOException("refused the bulk lane from " + channel.remoteAddress() + ": " + reason));
    }

    private void fail(Throwable why) {
        if (cause == null) {
            cause = why;
        }
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable why) {
        fail(why);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        State was = state;
        state = State.CLOSED;
        timer.cancel(false);
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (connection != null) {
            // Runs after any attach this lane queued on the connection's loop: it never keeps a dead lane.
            connection.laneClosed(this);
        }
        if (was != State.BOUND) {
            lanes.settled(this, false);
        } else {
            LOG.debugf("bulk lane closed: %s%s", this, cause == null ? "" : ": " + Failure.describe(cause));
        }
        ctx.fireChannelInactive();
    }

    // ---- frames -------------------------------------------------------------------------------

    private void deliver(byte[] payload) {
        if (inFlight.addAndGet(payload.length) > MAX_IN_FLIGHT_BYTES && !heldByFlight) {
            heldByFlight = true;
            updateReading();
            // The connection's loop may have taken everything between our add and the flag: look again.
            releaseIfDrained();
        }
        connection.laneFrame(this, payload);
    }

    /** The connection's loop took a frame (any thread). */
    void delivered(int payloadBytes) {
        inFlight.addAndGet(-payloadBytes);
        if (heldByFlight) {
            channel.eventLoop().execute(this::releaseIfDrained);
        }
    }

    private void releaseIfDrained() {
        if (heldByFlight && inFlight.get() <= MAX_IN_FLIGHT_BYTES / 2) {
            heldByFlight = false;
            updateReading();
        }
    }

    /** The connection's inbox holds too much (no receiver yet): stop reading (any thread). */
    void holdReading() {
        channel.eventLoop().execute(() -> {
            heldByInbox = true;
            updateReading();
        });
    }

    void releaseReading() {
        channel.eventLoop().execute(() -> {
            heldByInbox = false;
            updateReading();
        });
    }

    private void updateReading() {
        channel.config().setAutoRead(!heldByInbox && !heldByFlight);
    }

    /** Writes one encoded frame (any thread); the future completes once it was handed to the socket. */
    ChannelFuture write(ByteBuf frame) {
        lastWriteNanos = System.nanoTime();
        return channel.writeAndFlush(frame);
    }

    private void write(byte[] handshake) {
        channel.writeAndFlush(Frames.encode(channel.alloc(), handshake));
    }

    boolean isActive() {
        return channel.isActive();
    }

    /** Closes the lane (any thread); bulk frames then go on QUIC data streams again. */
    void close() {
        channel.close();
    }

    Channel channel() {
        return channel;
    }

    /** Why the lane closed or was refused (null while it is open or after a normal close). */
    Throwable cause() {
        return cause;
    }

    @Override
    public String toString() {
        NodeId p = peer != null ? peer : connection != null ? connection.remote() : null;
        return (dialler ? "outbound" : "inbound") + " bulk lane with " + (p == null ? "?" : p.shortId(7)) + "@"
                + (channel == null ? "?" : channel.remoteAddress());
    }
}
