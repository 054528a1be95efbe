package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;

/**
 * Cuts one stream's bytes into frames. The payload is copied once, straight into an array of the
 * announced length, so memory per stream is bounded by {@link Frames#MAX_FRAME_SIZE}. Not
 * thread-safe: one parser per stream, used on its event loop.
 */
final class FrameParser {
    @FunctionalInterface
    interface Sink {
        void onFrame(byte[] payload);
    }

    private long header;
    private int headerBytes;
    private byte[] body;
    private int bodyFilled;

    /**
     * Consumes all readable bytes of {@code in}, handing each complete non-empty frame to
     * {@code sink}. Keep-alives (length 0) are skipped.
     *
     * @throws FrameTooLargeException when a header announces more than {@link Frames#MAX_FRAME_SIZE};
     *         the parser is then unusable (the stream must be dropped)
     */
    void feed(ByteBuf in, Sink sink) throws FrameTooLargeException {
        while (in.isReadable()) {
            if (body == null) {
                while (headerBytes < Frames.HEADER_BYTES && in.isReadable()) {
                    header = (header << 8) | in.readUnsignedByte();
                    headerBytes++;
                }
                if (headerBytes < Frames.HEADER_BYTES) {
                    return;
                }
                long length = header;
                header = 0;
                headerBytes = 0;
                if (length > Frames.MAX_FRAME_SIZE) {
                    throw new FrameTooLargeException(length, Frames.MAX_FRAME_SIZE);
                }
                if (length == 0) {
                    continue;
                }
                body = new byte[(int) length];
                bodyFilled = 0;
            }
            int n = Math.min(body.length - bodyFilled, in.readableBytes());
            in.readBytes(body, bodyFilled, n);
            bodyFilled += n;
            if (bodyFilled == body.length) {
                byte[] frame = body;
                body = null;
                sink.onFrame(frame);
            }
        }
    }

    /** True when the bytes seen so far end in the middle of a frame. */
    boolean midFrame() {
        return body != null || headerBytes > 0;
    }
}
