package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/** Reads frames from one stream and hands them to its connection. */
final class FrameReadHandler extends ChannelInboundHandlerAdapter {
    private final QuicPeerConnection connection;
    private final boolean control;
    private final FrameParser parser;
    private boolean broken;

    FrameReadHandler(QuicPeerConnection connection, boolean control) {
        this.connection = connection;
        this.control = control;
        this.parser = new FrameParser(() -> connection.maxFrame(control));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
        try {
            if (!broken && msg instanceof ByteBuf buf) {
                parser.feed(buf, payload -> connection.onFrame(stream, control, payload));
            }
        } catch (FrameTooLargeException e) {
            broken = true;
            connection.onFrameTooLarge(stream, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (control) {
            connection.onControlStreamClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.onStreamError((QuicStreamChannel) ctx.channel(), cause);
    }
}
