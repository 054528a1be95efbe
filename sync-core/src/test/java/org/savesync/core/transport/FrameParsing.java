package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * The test sources' door to the package-private {@link FrameParser}, for the fuzzers in
 * {@code org.savesync.core.fuzz}: one stream's bytes, fed in pieces the way QUIC delivers them.
 */
public final class FrameParsing {
    /** The cap {@link FrameParser} enforces today: the same for every ALPN. */
    public static final int MAX_FRAME_SIZE = Frames.MAX_FRAME_SIZE;
    public static final int HEADER_BYTES = Frames.HEADER_BYTES;

    private FrameParsing() {
    }

    /**
     * Feeds {@code stream} to a fresh parser in pieces of {@code piece} bytes (the last one
     * shorter), adding each delivered frame to {@code frames}; stops at the first refusal.
     *
     * @return whether the bytes end in the middle of a frame
     * @throws FrameTooLargeException when a header announces more than {@link #MAX_FRAME_SIZE}
     */
    public static boolean feed(byte[] stream, int piece, List<byte[]> frames) throws FrameTooLargeException {
        FrameParser parser = new FrameParser();
        for (int at = 0; at < stream.length; at += piece) {
            ByteBuf buf = Unpooled.wrappedBuffer(stream, at, Math.min(piece, stream.length - at));
            parser.feed(buf, frames::add);
            if (buf.isReadable()) {
                throw new AssertionError("the parser left " + buf.readableBytes() + " bytes of a piece unread");
            }
        }
        return parser.midFrame();
    }
}
