package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;

/**
 * One QUIC connection: its control stream, its data streams, the transport handshake (see
 * {@link QuicEndpoint}), keep-alives, buffering until a receiver is set, and the close that is
 * reported exactly once. All mutable state is confined to the connection's event loop; public
 * methods hop onto it.
 */
final class QuicPeerConnection implements PeerConnection {
    private static final Logger LOG = Logger.getLogger(QuicPeerConnection.class);
    static final AttributeKey<QuicPeerConnection> KEY = AttributeKey.valueOf("savesync.connection");

    private enum State { HANDSHAKING, OPEN, CLOSED }

    private final QuicEndpoint endpoint;
    private final TransportStats stats;
    private final TransportConfig cfg;
    private final QuicChannel channel;
    private final EventLoop loop;
    private final NodeId remote;
    private final String alpn;
    private final boolean inbound;
    private final InetSocketAddress remoteAddress;
    private final DialAttempt dial;
    private final boolean join;
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean open;
    /** The peer's instance id from its HELLO or ACCEPT (hex); set before the connection opens. */
    private volatile String peerInstance;

    // Event-loop confined from here on.
    private State state = State.HANDSHAKING;
    private QuicStreamChannel control;
    private final DataStreams dataStreams;
    private final Inbox inbox;
    private boolean closing;
    private Throwable localCause;
    private QuicConnectionCloseEvent peerClose;
    private Throwable closeCause;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> keepAliveTimer;
    private long lastWriteNanos = System.nanoTime();
    private ScheduledFuture<?> joinTimer;
    private boolean joinRequestSeen;
    private boolean joinAnswered;
    private long pendingSendBytes;
    /** The TLS over TCP lane bulk frames go on, when one is bound ({@link BulkLanes}). */
    private BulkLane lane;

    QuicPeerConnection(QuicEndpoint endpoint, QuicChannel channel, NodeId remote, String alpn, DialAttempt dial) {
        this.endpoint = endpoint;
        this.stats = endpoint.stats();
        this.cfg = endpoint.config();
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.remote = remote;
        this.alpn = alpn;
        this.dial = dial;
        this.inbound = dial == null;
        this.join = Alpn.JOIN.equals(alpn);
        this.remoteAddress = (InetSocketAddress) channel.remoteSocketAddress();
        this.dataStreams = new DataStreams(channel, cfg.dataStreams(), () -> new FrameReadHandler(this, false),
                this::writeFrame, () -> state == State.OPEN ? control : null);
        this.inbox = new Inbox(this, e -> closeWith(Protocol.CLOSE_INTERNAL_ERROR, "internal error", e));
        channel.attr(KEY).set(this);
    }

    // ---- PeerConnection -------------------------------------------------------------------

    @Override
    public NodeId remote() {
        return remote;
    }

    @Override
    public String alpn() {
        return alpn;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean inbound() {
        return inbound;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void setReceiver(FrameReceiver r) {
        Objects.requireNonNull(r, "receiver");
        // If the event loop is already gone, so is the connection: deliver what was kept and the close.
        onLoop(() -> inbox.receiver(r), () -> inbox.receiver(r));
    }

    @Override
    public CompletableFuture<Void> send(byte[] frame) {
        return submit(frame, false);
    }

    @Override
    public CompletableFuture<Void> sendBulk(byte[] frame) {
        return submit(frame, true);
    }

    @Override
    public void close(String reason) {
        onLoop(() -> closeWith(Protocol.CLOSE_NORMAL, reason, null), null);
    }

    @Override
    public String toString() {
        return (inbound ? "inbound " : "outbound ") + alpn + " connection with " + remote.shortId(7) + "@" + remoteAddress;
    }

    // ---- sending ----------------------------------------------------------------------------

    private CompletableFuture<Void> submit(byte[] frame, boolean bulk) {
        Objects.requireNonNull(frame, "frame");
        if (bulk && join) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "the join sub-protocol has no data streams; use send()"));
        }
        try {
            Frames.checkOutgoing(frame);
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Copy on the caller's thread: the event loop only hands the buffer to the stream.
        ByteBuf buf = Frames.encode(channel.alloc(), frame);
        onLoop(() -> {
            if (state != State.OPEN) {
                buf.release();
                done.completeExceptionally(notOpen());
                return;
            }
            if (pendingSendBytes + frame.length > cfg.maxPendingSendBytes()) {
                buf.release();
                stats.sendBudgetExceeded();
                IOException e = new SendBudgetExceededException(remote, pendingSendBytes, cfg.maxPendingSendBytes());
                done.completeExceptionally(e);
                closeWith(Protocol.CLOSE_BUSY, "you read nothing: send budget exceeded", e);
                return;
            }
            pendingSendBytes += frame.length;
            done.whenComplete((v, e) -> pendingSendBytes -= frame.length);
            if (bulk && lane != null) {
                writeOnLane(lane, buf, done, frame.length);
            } else if (bulk) {
                done.whenComplete((v, e) -> {
                    if (e == null) {
                        stats.bulkSent(false, frame.length);
                    }
                });
                dataStreams.submit(buf, done, frame.length);
            } else {
                writeFrame(control, buf, done, frame.length);
            }
        }, () -> {
            buf.release();
            done.completeExceptionally(notOpen());
        });
        return done;
    }

    private void writeFrame(QuicStreamChannel stream, ByteBuf buf, CompletableFuture<Void> done, int payloadBytes) {
        lastWriteNanos = System.nanoTime();
        if (join && inbound && !joinAnswered) {
            joinAnswered = true;
            // The answer is out: the asker closes once it read it; we do not wait longer than the linger.
            rearmJoinTimer(JoinGate.LINGER, "join answered");
        }
        stream.writeAndFlush(buf).addListener((ChannelFuture w) -> {
            if (w.isSuccess()) {
                stats.frameSent(payloadBytes);
                done.complete(null);
            } else {
                done.completeExceptionally(writeFailure(w.cause()));
            }
        });
    }

    private void writeOnLane(BulkLane l, ByteBuf buf, CompletableFuture<Void> done, int payloadBytes) {
        l.write(buf).addListener((ChannelFuture w) -> onLoop(() -> {
            if (w.isSuccess()) {
                stats.frameSent(payloadBytes);
                stats.bulkSent(true, payloadBytes);
                done.complete(null);
            } else {
                done.completeExceptionally(new IOException("the bulk lane of the " + this + " failed; the frame was not sent: "
                        + Failure.describe(w.cause()), w.cause()));
            }
        }, () -> done.completeExceptionally(notOpen())));
    }

    // ---- bulk lane ----------------------------------------------------------------------------

    /**
     * Binds a lane (any thread); {@code result} hears (on this connection's loop) whether it was
     * taken: not once this connection is closing. A lane already bound is replaced and closed.
     */
    void attachLane(BulkLane l, java.util.function.Consumer<Boolean> result) {
        onLoop(() -> {
            if (state != State.OPEN || closing || !l.isActive()) {
                l.close();
                result.accept(false);
                return;
            }
            if (lane != null && lane != l) {
                LOG.debugf("a newer bulk lane replaces %s", lane);
                lane.close();
            }
            lane = l;
            result.accept(true);
        }, () -> {
            l.close();
            result.accept(false);
        });
    }

    /** A lane closed (any thread): later bulk frames go on QUIC data streams. */
    void laneClosed(BulkLane l) {
        onLoop(() -> {
            if (lane == l) {
                lane = null;
            }
        }, null);
    }

    /** A frame read from a lane of this connection (any thread): delivered like one from a data stream. */
    void laneFrame(BulkLane l, byte[] payload) {
        onLoop(() -> {
            try {
                if (state == State.OPEN && !closing) {
                    stats.frameReceived(payload.length);
                    stats.bulkReceived(true, payload.length);
                    inbox.frame(l, payload);
                }
            } finally {
                l.delivered(payload.length);
            }
        }, () -> l.delivered(payload.length));
    }

    private void closeLane() {
        if (lane != null) {
            lane.close();
            lane = null;
        }
    }

    EventLoop eventLoop() {
        return loop;
    }

    /** Test hook: the bound lane, or null. */
    BulkLane laneForTests() {
        CompletableFuture<BulkLane> f = new CompletableFuture<>();
        onLoop(() -> f.complete(lane), () -> f.complete(null));
        return f.join();
    }

    private Throwable writeFailure(Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            IOException e = notOpen();
            e.initCause(cause);
            return e;
        }
        return cause;
    }

    private IOException notOpen() {
        return new IOException("the " + this + " is closed" + (closeCause != null ? ": " + Failure.describe(closeCause) : "")
                + "; the frame was not sent");
    }

    // ---- handshake ----------------------------------------------------------------------------

    /** Dialer: open the control stream and say hello; the dial completes when the listener accepts. */
    void startOutbound() {
        armHandshakeTimer();
        channel.createStream(QuicStreamType.BIDIRECTIONAL, new FrameReadHandler(this, true)).addListener(f -> {
            if (!f.isSuccess()) {
                closeWith(Protocol.CLOSE_INTERNAL_ERROR, "cannot open the control stream",
                        new IOException("cannot open the control stream to " + remote, f.cause()));
                return;
            }
            control = (QuicStreamChannel) f.getNow();
            control.writeAndFlush(Frames.encode(channel.alloc(), Protocol.hello(endpoint.instance())));
        });
    }

    /** Listener: wait for the dialer's control stream and hello. */
    void startInbound() {
        armHandshakeTimer();
    }

    private void armHandshakeTimer() {
        handshakeTimer = loop.schedule(() -> {
            if (state == State.HANDSHAKING) {
                String what = inbound ? "the dialer sent no transport hello" : "the peer did not accept the connection";
                closeWith(Protocol.CLOSE_HANDSHAKE_TIMEOUT, "handshake timeout",
                        new IOException(what + " within " + cfg.handshakeTimeout() + " (" + this + ")"));
            }
        }, cfg.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A stream the peer opened: the listener's first bidirectional one is the control stream, uni ones carry data. */
    void onRemoteStream(QuicStreamChannel stream) {
        if (stream.type() == QuicStreamType.BIDIRECTIONAL) {
            if (!inbound || control != null) {
                stream.close();
                closeWith(Protocol.CLOSE_PROTOCOL_ERROR, "unexpected bidirectional stream",
                        new Protocol.ProtocolViolation(remote + " opened a second bidirectional stream"));
                return;
            }
            control = stream;
            stream.pipeline().addLast(new FrameReadHandler(this, true));
        } else if (join) {
            stream.close();
            closeWith(Protocol.CLOSE_PROTOCOL_ERROR, "the join sub-protocol has no unidirectional streams",
                    new Protocol.ProtocolViolation(remote + " opened a unidirectional stream on the join ALPN"));
        } else {
            stream.pipeline().addLast(new FrameReadHandler(this, false));
        }
    }

    /**
     * The cap of the next frame on a stream: a handshake message until the control stream is open,
     * then {@link JoinGate#MAX_REQUEST_BYTES} for what a join dialler sends us, else
     * {@link Frames#MAX_FRAME_SIZE}.
     */
    int maxFrame(boolean isControl) {
        if (isControl && state == State.HANDSHAKING) {
            return Protocol.HANDSHAKE_BYTES;
        }
        return join && inbound ? JoinGate.MAX_REQUEST_BYTES : Frames.MAX_FRAME_SIZE;
    }

    void onFrame(QuicStreamChannel stream, boolean isControl, byte[] payload) {
        if (state == State.CLOSED || closing) {
            return;
        }
        if (state == State.HANDSHAKING && isControl) {
            onHandshakeFrame(payload);
            return;
        }
        if (join && inbound) {
            if (joinRequestSeen) {
                closeWith(Protocol.CLOSE_PROTOCOL_ERROR, "one join request per connection",
                        new Protocol.ProtocolViolation(remote + " sent a second join request on one connection"));
                return;
            }
            joinRequestSeen = true;
        }
        // Data frames may overtake the listener's accept (other streams); the inbox keeps them.
        stats.frameReceived(payload.length);
        if (!isControl) {
            stats.bulkReceived(false, payload.length);
        }
        inbox.frame(stream, payload);
    }

    private void onHandshakeFrame(byte[] payload) {
        Protocol.Handshake hs;
        try {
            hs = Protocol.parse(payload);
        } catch (Protocol.ProtocolViolation e) {
            closeWith(Protocol.CLOSE_PROTOCOL_ERROR, e.getMessage(), e);
            return;
        }
        int type = hs.type();
        if (inbound && type == Protocol.HELLO) {
            peerInstance = hs.instance();
            control.writeAndFlush(Frames.encode(channel.alloc(), Protocol.accept(endpoint.instance())));
            becomeOpen();
            endpoint.established(this);
            endpoint.accepted(this);
        } else if (!inbound && type == Protocol.ACCEPT) {
            peerInstance = hs.instance();
            becomeOpen();
            stats.connectionOutbound();
            endpoint.established(this);
            dial.future().complete(this);
            endpoint.lanes().dial(this);
        } else {
            closeWith(Protocol.CLOSE_PROTOCOL_ERROR, "unexpected handshake message " + type,
                    new Protocol.ProtocolViolation("unexpected handshake message " + type + " from " + remote));
        }
    }

    private void becomeOpen() {
        state = State.OPEN;
        open = true;
        handshakeTimer.cancel(false);
        if (!cfg.keepAliveInterval().isZero()) {
            long every = cfg.keepAliveInterval().toNanos();
            keepAliveTimer = loop.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.NANOSECONDS);
        }
        if (join && inbound) {
            rearmJoinTimer(JoinGate.MAX_LIFETIME, "join connection lifetime over");
        }
    }

    private void rearmJoinTimer(java.time.Duration after, String reason) {
        if (joinTimer != null) {
            joinTimer.cancel(false);
        }
        joinTimer = loop.schedule(() -> closeWith(Protocol.CLOSE_NORMAL, reason, null),
                after.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The peer's instance id (hex), known once the connection is open. */
    String peerInstance() {
        return peerInstance;
    }

    /** Closes from any thread with an application code; the cause is what the receiver hears. */
    void closeLater(int code, String reason, Throwable cause) {
        onLoop(() -> closeWith(code, reason, cause), null);
    }

    /**
     * Closes from any thread and reports the close now (receiver, close future), without waiting
     * for QUIC's closing period: for a connection whose peer is known to be gone, where that
     * period would last until the idle timeout.
     */
    void abandon(int code, String reason, Throwable cause) {
        onLoop(() -> {
            closeWith(code, reason, cause);
            onChannelInactive();
        }, null);
    }

    private void keepAlive() {
        if (state == State.OPEN && !closing
                && System.nanoTime() - lastWriteNanos >= cfg.keepAliveInterval().toNanos() / 2) {
            lastWriteNanos = System.nanoTime();
            control.writeAndFlush(Frames.keepAlive(channel.alloc()));
        }
    }

    // ---- receiving ----------------------------------------------------------------------------

    void onFrameTooLarge(QuicStreamChannel stream, FrameTooLargeException e) {
        stats.frameTooLarge();
        if (join) {
            // Anyone may open the join ALPN: do not let strangers write our log at will (the counter has it).
            LOG.debugf("%s announced a frame of %d bytes (limit %d); closing the connection", this, e.length(), e.max());
        } else {
            PeerLog.warn(LOG, "%s announced a frame of %d bytes (limit %d); closing the connection", this, e.length(),
                    e.max());
        }
        closeWith(Protocol.CLOSE_FRAME_TOO_LARGE, e.getMessage(), e);
        stream.close();
    }

    void onStreamError(QuicStreamChannel stream, Throwable cause) {
        if (connectionAlive()) {
            LOG.debugf(cause, "stream %d of %s failed; closing the connection", stream.streamId(), this);
            closeWith(Protocol.CLOSE_INTERNAL_ERROR, "stream failed", cause);
        }
    }

    void onControlStreamClosed() {
        if (connectionAlive()) {
            closeWith(Protocol.CLOSE_PROTOCOL_ERROR, "control stream ended",
                    new Protocol.ProtocolViolation(remote + " ended the control stream"));
        }
    }

    /** False once anyone started closing: streams then end as a consequence, not as a cause. */
    private boolean connectionAlive() {
        return state != State.CLOSED && !closing && peerClose == null && channel.isOpen();
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Closes the QUIC connection with an application error code; {@code cause} (if any) is what onClosed reports. */
    void closeWith(int code, String reason, Throwable cause) {
        if (state == State.CLOSED || closing) {
            return;
        }
        closing = true;
        open = false;
        localCause = cause;
        closeLane();
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        channel.close(true, code, Unpooled.wrappedBuffer(Arrays.copyOf(r, Math.min(r.length, Protocol.MAX_REASON_BYTES))));
    }

    void onPeerClose(QuicConnectionCloseEvent event) {
        peerClose = event;
    }

    /** The QUIC channel is gone: settle the dial or tell the receiver, exactly once. */
    void onChannelInactive() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        open = false;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (keepAliveTimer != null) {
            keepAliveTimer.cancel(false);
        }
        if (joinTimer != null) {
            joinTimer.cancel(false);
        }
        endpoint.forget(this);
        closeLane();
        closeCause = wasOpen ? closeCause() : handshakeFailure();
        if (wasOpen) {
            LOG.debugf("%s closed%s", this, closeCause == null ? "" : ": " + Failure.describe(closeCause));
            inbox.closed(closeCause);
        } else if (dial != null) {
            dial.future().completeExceptionally(closeCause);
        }
        closeFuture.complete(null);
    }

    private Throwable closeCause() {
        if (localCause != null) {
            return localCause;
        }
        if (peerClose != null) {
            long code = peerClose.error();
            String reason = reasonOf(peerClose);
            if (peerClose.isApplicationClose() && code == Protocol.CLOSE_NORMAL) {
                return null;
            }
            String kind = peerClose.isApplicationClose() ? Protocol.describe(code) : "QUIC transport error";
            return new ConnectionClosedException(remote, peerClose.isApplicationClose(), code, reason,
                    remote + " closed the connection: " + kind + " (code 0x" + Long.toHexString(code) + "): " + reason);
        }
        if (channel.isTimedOut()) {
            return new ConnectionClosedException(remote, false, 0, "idle timeout",
                    "no packet from " + remote + " at " + remoteAddress + " for " + cfg.idleTimeout()
                            + " (QUIC idle timeout): the peer went away or the network path broke");
        }
        return null;
    }

    private Throwable handshakeFailure() {
        if (peerClose != null && peerClose.isApplicationClose() && peerClose.error() != Protocol.CLOSE_NORMAL) {
            return new PeerRefusedException(remote, peerClose.error(), reasonOf(peerClose));
        }
        if (localCause != null) {
            return localCause;
        }
        String why = peerClose != null ? ": " + reasonOf(peerClose) + " (code 0x" + Long.toHexString(peerClose.error()) + ")"
                : channel.isTimedOut() ? ": idle timeout" : "";
        return new IOException("the " + this + " closed during the transport handshake" + why);
    }

    private static String reasonOf(QuicConnectionCloseEvent e) {
        byte[] r = e.reason();
        return r == null || r.length == 0 ? "(no reason given)" : new String(r, StandardCharsets.UTF_8);
    }

    /** Runs on the event loop (now, if already there); {@code rejected} runs if the loop is shut down. */
    private void onLoop(Runnable task, Runnable rejected) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            if (rejected != null) {
                rejected.run();
            }
        }
    }

    /** Test hook: writes raw bytes (no framing) on the control stream. */
    CompletableFuture<Void> writeRawOnControl(byte[] raw) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> control.writeAndFlush(Unpooled.wrappedBuffer(raw)).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        }), () -> done.completeExceptionally(notOpen()));
        return done;
    }
}
