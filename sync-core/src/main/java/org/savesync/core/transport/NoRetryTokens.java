package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.incubator.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;

/**
 * No QUIC address-validation retry: it costs a round trip per connection, and the TLS handshake
 * authenticates both sides anyway. (Revisit if the hub ever faces amplification abuse.)
 */
enum NoRetryTokens implements QuicTokenHandler {
    INSTANCE;

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        return false;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        return 0;
    }

    @Override
    public int maxTokenLength() {
        return 0;
    }
}
