package org.savesync.core.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.incubator.codec.quic.QuicStreamChannel;

/** Routes each stream the peer opens to its connection (or drops it when there is none). */
@ChannelHandler.Sharable
final class RemoteStreams extends ChannelInitializer<QuicStreamChannel> {
    static final RemoteStreams INSTANCE = new RemoteStreams();

    private RemoteStreams() {
    }

    @Override
    protected void initChannel(QuicStreamChannel stream) {
        QuicPeerConnection c = stream.parent().attr(QuicPeerConnection.KEY).get();
        if (c == null) {
            stream.close();
            return;
        }
        c.onRemoteStream(stream);
    }
}
