package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.ProtocolException;
import org.savesync.core.protocol.WireCodec;

/**
 * One connection of a {@link RoguePeer}. The control stream is the first bidirectional stream
 * (opened by {@link #sendHandshake()} or the first {@link #control()}); other streams are opened
 * on demand and left as the test leaves them. Every frame the other side sends, on any stream, is
 * kept in arrival order; {@link #messages()} decodes them with the ALPN's codec.
 */
public final class RogueConnection implements AutoCloseable {
    static final AttributeKey<String> ALPN = AttributeKey.valueOf("rogue.alpn");
    private static final AttributeKey<RogueConnection> SELF = AttributeKey.valueOf("rogue.connection");
    private static final AttributeKey<QuicConnectionCloseEvent> CLOSE = AttributeKey.valueOf("rogue.close");

    /** A frame that arrived, with the stream it came on. */
    public record Received(long streamId, byte[] payload) {
    }

    private final QuicChannel channel;
    private final String alpn;
    private final List<Received> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> accepted = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile RogueStream control;
    private volatile boolean notReading;

    RogueConnection(QuicChannel channel, String alpn) {
        this.channel = channel;
        this.alpn = alpn;
        channel.attr(SELF).set(this);
        channel.closeFuture().addListener(f -> closed.complete(null));
        if (!channel.isActive()) {
            closed.complete(null);
        }
    }

    public String alpn() {
        return alpn;
    }

    // ------------------------------------------------------------------ sending

    /** The control stream (opened on first use). */
    public synchronized RogueStream control() {
        if (control == null) {
            control = open(QuicStreamType.BIDIRECTIONAL);
        }
        return control;
    }

    /** The transport hello ("SSTP", version, HELLO) on the control stream. */
    public void sendHandshake() {
        control().frame(Protocol.hello());
    }

    /** A member-protocol message, framed, on the control stream. */
    public void send(Message m) {
        control().frame(WireCodec.encode(m));
    }

    /** A join-protocol message, framed, on the control stream. */
    public void sendJoin(Message m) {
        control().frame(WireCodec.encodeJoin(m));
    }

    /** A member-protocol message on a new unidirectional stream, which is then finished. */
    public void sendBulk(Message m) {
        RogueStream s = openUni();
        s.frame(WireCodec.encode(m));
        s.finish();
    }

    /** A new unidirectional stream, left open. */
    public RogueStream openUni() {
        return open(QuicStreamType.UNIDIRECTIONAL);
    }

    /** A new bidirectional stream (the first one is the control stream), left open. */
    public RogueStream openBidi() {
        return open(QuicStreamType.BIDIRECTIONAL);
    }

    private RogueStream open(QuicStreamType type) {
        try {
            QuicStreamChannel s = channel.createStream(type, new Reader()).get(5, TimeUnit.SECONDS);
            return new RogueStream(s);
        } catch (Exception e) {
            throw new IllegalStateException("rogue: cannot open a " + type + " stream: " + e, e);
        }
    }

    /**
     * From now on reads nothing more on any stream (the transport's flow control then stops the
     * other side): a peer that asks and never reads the answers.
     */
    public void stopReading() {
        notReading = true;
    }

    /** An empty frame on the control stream: all the transport needs to keep a connection alive. */
    public void keepAlive() {
        control().raw(new byte[4]);
    }

    /** Closes the QUIC connection (normal close). */
    @Override
    public void close() {
        if (channel.isOpen()) {
            channel.close(true, 0, Unpooled.copiedBuffer("rogue done", StandardCharsets.UTF_8))
                    .awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ receiving

    void awaitAccepted(Duration timeout) throws IOException {
        try {
            CompletableFuture.anyOf(accepted, closed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("rogue: the listener did not accept within " + timeout, e);
        }
        if (!accepted.isDone()) {
            throw new IOException("rogue: the listener closed the connection: " + closeDescription());
        }
    }

    /** Every frame received so far, the transport ACCEPT excluded. */
    public List<Received> frames() {
        return List.copyOf(frames);
    }

    /** The frames decoded with this ALPN's codec; a frame that does not decode is skipped. */
    public List<Message> messages() {
        List<Message> out = new ArrayList<>();
        for (Received r : frames) {
            try {
                out.add(Alpn.JOIN.equals(alpn) ? WireCodec.decodeJoin(r.payload()) : WireCodec.decode(r.payload()));
            } catch (ProtocolException e) {
                // not a message of this ALPN: the test sees it in frames()
            }
        }
        return out;
    }

    /** The messages of one type received so far. */
    public <T extends Message> List<T> messages(Class<T> type) {
        return messages().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits for a message of {@code type} that matches {@code test}. */
    public <T extends Message> T await(Class<T> type, Predicate<T> test, Duration timeout) {
        List<T> found = new ArrayList<>();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
            for (T m : messages(type)) {
                if (test.test(m)) {
                    found.add(m);
                    return true;
                }
            }
            return false;
        });
        return found.get(0);
    }

    public <T extends Message> T await(Class<T> type, Duration timeout) {
        return await(type, m -> true, timeout);
    }

    /** The node id the peer's certificate proves. */
    public org.savesync.core.identity.NodeId remoteNode() {
        try {
            var certs = channel.sslEngine().getSession().getPeerCertificates();
            return org.savesync.core.identity.NodeId.fromPublicKey(certs[0].getPublicKey());
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new IllegalStateException("no peer certificate on " + channel, e);
        }
    }

    public boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    /** Completes when the QUIC connection is gone, whoever closed it. */
    public CompletableFuture<Void> closedFuture() {
        return closed;
    }

    /** The CONNECTION_CLOSE the other side sent, or null (none yet, or it timed out). */
    public QuicConnectionCloseEvent closeEvent() {
        return channel.attr(CLOSE).get();
    }

    /** The other side's close as "code 0x1: reason", or what is known. */
    public String closeDescription() {
        QuicConnectionCloseEvent e = closeEvent();
        if (e == null) {
            return closed.isDone() ? "closed (no CONNECTION_CLOSE seen; idle timeout or local close)" : "open";
        }
        byte[] r = e.reason();
        return (e.isApplicationClose() ? "application" : "transport") + " code 0x" + Long.toHexString(e.error())
                + ": " + (r == null ? "" : new String(r, StandardCharsets.UTF_8));
    }

    /** The application close code the other side sent, or -1. */
    public long closeCode() {
        QuicConnectionCloseEvent e = closeEvent();
        return e == null ? -1 : e.error();
    }

    private void onFrame(QuicStreamChannel stream, byte[] payload) {
        if (!accepted.isDone() && stream.type() == QuicStreamType.BIDIRECTIONAL && stream == controlChannel()) {
            try {
                if (Protocol.parseHandshake(payload) == Protocol.ACCEPT) {
                    accepted.complete(null);
                    return;
                }
            } catch (Protocol.ProtocolViolation notHandshake) {
                // kept as a frame below
            }
        }
        frames.add(new Received(stream.streamId(), payload));
    }

    private QuicStreamChannel controlChannel() {
        RogueStream c = control;
        return c == null ? null : c.channel;
    }

    // ------------------------------------------------------------------ streams

    /** One stream of the rogue: write anything on it. */
    public static final class RogueStream {
        final QuicStreamChannel channel;

        RogueStream(QuicStreamChannel channel) {
            this.channel = channel;
        }

        public long id() {
            return channel.streamId();
        }

        /** Length prefix and payload, with no check of either. */
        public RogueStream frame(byte[] payload) {
            return raw(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
        }

        /** A length prefix announcing {@code length} bytes (unsigned 32 bits), and nothing after it. */
        public RogueStream header(long length) {
            return raw(ByteBuffer.allocate(4).putInt((int) length).array());
        }

        /** Bytes as they are. */
        public RogueStream raw(byte[] bytes) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).awaitUninterruptibly(5, TimeUnit.SECONDS);
            return this;
        }

        /** Ends the stream (FIN). */
        public void finish() {
            channel.shutdownOutput().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }

        public boolean isOpen() {
            return channel.isActive();
        }
    }

    // ------------------------------------------------------------------ netty handlers

    /** Reads frames from one stream into its connection. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final FrameParser parser = new FrameParser();
        private boolean broken;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
            RogueConnection c = stream.parent().attr(SELF).get();
            try {
                if (c != null && c.notReading) {
                    stream.config().setAutoRead(false);
                    return;
                }
                if (!broken && c != null && msg instanceof ByteBuf buf) {
                    parser.feed(buf, payload -> c.onFrame(stream, payload));
                }
            } catch (FrameTooLargeException e) {
                broken = true;
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a rogue ignores stream errors
        }
    }

    /** Streams the other side opens: read their frames too. */
    @ChannelHandler.Sharable
    static final class RemoteStreams extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel stream) {
            stream.pipeline().addLast(new Reader());
        }
    }

    /** Connection events: the peer's CONNECTION_CLOSE. */
    static final class Events extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QuicConnectionCloseEvent e) {
                ctx.channel().attr(CLOSE).set(e);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }
}
