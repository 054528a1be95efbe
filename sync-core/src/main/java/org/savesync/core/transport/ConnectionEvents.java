package org.savesync.core.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicConnectionCloseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * Lifecycle events of one QUIC channel: active (TLS done) goes to the endpoint for identity and
 * admission, the peer's CONNECTION_CLOSE and the end of the channel go to the connection.
 */
final class ConnectionEvents extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ConnectionEvents.class);

    private final QuicEndpoint endpoint;
    private final DialAttempt dial;
    private Runnable handshakeDone;
    private QuicConnectionCloseEvent earlyClose;

    /**
     * @param dial the dial this channel serves, or null for an inbound channel
     * @param handshakeDone run once when TLS finished or the channel closed before (may be null)
     */
    ConnectionEvents(QuicEndpoint endpoint, DialAttempt dial, Runnable handshakeDone) {
        this.endpoint = endpoint;
        this.dial = dial;
        this.handshakeDone = handshakeDone;
    }

    private void handshakeOver() {
        Runnable r = handshakeDone;
        handshakeDone = null;
        if (r != null) {
            r.run();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshakeOver();
        endpoint.onActive((QuicChannel) ctx.channel(), dial);
        QuicPeerConnection c = ctx.channel().attr(QuicPeerConnection.KEY).get();
        if (c != null && earlyClose != null) {
            c.onPeerClose(earlyClose);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicConnectionCloseEvent close) {
            QuicPeerConnection c = ctx.channel().attr(QuicPeerConnection.KEY).get();
            if (c != null) {
                c.onPeerClose(close);
            } else {
                earlyClose = close;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handshakeOver();
        QuicPeerConnection c = ctx.channel().attr(QuicPeerConnection.KEY).get();
        if (c != null) {
            c.onChannelInactive();
        } else if (dial != null && !dial.future().isDone()) {
            String why = earlyClose == null ? "" : ": " + new String(earlyClose.reason(), StandardCharsets.UTF_8)
                    + " (code 0x" + Integer.toHexString(earlyClose.error()) + ")";
            dial.future().completeExceptionally(new IOException("the connection to " + dial.expected() + " at "
                    + dial.address() + " closed before the handshake finished" + why));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debugf("QUIC connection with %s: %s", ctx.channel().remoteAddress(), cause.toString());
    }
}
