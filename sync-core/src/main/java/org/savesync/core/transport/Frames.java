package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The framing every stream uses: {@code u32 big-endian length} then {@code length} payload bytes.
 * A zero length is a keep-alive: it carries nothing and is never delivered.
 */
public final class Frames {
    /** The largest payload one frame may carry: 4 MiB. A peer announcing more is disconnected. */
    public static final int MAX_FRAME_SIZE = 4 * 1024 * 1024;
    /** The length prefix: 4 bytes, unsigned, big-endian. */
    public static final int HEADER_BYTES = 4;

    private Frames() {
    }

    /** Checks an outgoing payload against the limits. */
    static void checkOutgoing(byte[] payload) throws FrameTooLargeException {
        if (payload.length > MAX_FRAME_SIZE) {
            throw new FrameTooLargeException(payload.length, MAX_FRAME_SIZE);
        }
        if (payload.length == 0) {
            throw new IllegalArgumentException("empty frames are reserved for keep-alives; send at least one byte");
        }
    }

    /** The frame (header and payload) in one direct buffer, ready for a QUIC stream. */
    static ByteBuf encode(ByteBufAllocator alloc, byte[] payload) {
        ByteBuf buf = alloc.directBuffer(HEADER_BYTES + payload.length);
        buf.writeInt(payload.length);
        buf.writeBytes(payload);
        return buf;
    }

    static ByteBuf keepAlive(ByteBufAllocator alloc) {
        return alloc.directBuffer(HEADER_BYTES).writeInt(0);
    }
}
