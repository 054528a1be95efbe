package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * Cuts one stream's bytes into frames. The announced length is only checked against the cap,
 * never trusted for an allocation: the payload buffer starts at {@link #INITIAL_BUFFER} bytes (or
 * the announced length, if smaller) and doubles as bytes really arrive, so a peer that announces
 * a large frame and sends nothing costs almost nothing. Memory per stream is bounded by about
 * twice the bytes received of the current frame, and by the cap. Not thread-safe: one parser per
 * stream, used on its event loop.
 */
final class FrameParser {
    /** First buffer size of a frame's payload; it grows by doubling as bytes arrive. */
    static final int INITIAL_BUFFER = 16 * 1024;

    @FunctionalInterface
    interface Sink {
        void onFrame(byte[] payload);
    }

    private final IntSupplier maxFrame;
    private long header;
    private int headerBytes;
    private byte[] body;
    private int bodyLength;
    private int bodyFilled;

    /** A parser with the member protocol's cap, {@link Frames#MAX_FRAME_SIZE}. */
    FrameParser() {
        this(Frames.MAX_FRAME_SIZE);
    }

    /** @param maxFrame the largest payload a frame may announce (1 .. {@link Frames#MAX_FRAME_SIZE}) */
    FrameParser(int maxFrame) {
        this(fixed(maxFrame));
    }

    /**
     * @param maxFrame asked at every frame header for the cap of that frame (it may change as the
     *        connection's state does, e.g. a small cap until the transport handshake is done)
     */
    FrameParser(IntSupplier maxFrame) {
        this.maxFrame = maxFrame;
    }

    private static IntSupplier fixed(int maxFrame) {
        if (maxFrame < 1 || maxFrame > Frames.MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrame must be 1.." + Frames.MAX_FRAME_SIZE + ", got " + maxFrame);
        }
        return () -> maxFrame;
    }

    /**
     * Consumes all readable bytes of {@code in}, handing each complete non-empty frame to
     * {@code sink}. Keep-alives (length 0) are skipped.
     *
     * @throws FrameTooLargeException when a header announces more than this parser's cap;
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
                int cap = Math.min(maxFrame.getAsInt(), Frames.MAX_FRAME_SIZE);
                if (length > cap) {
                    throw new FrameTooLargeException(length, cap);
                }
                if (length == 0) {
                    continue;
                }
                bodyLength = (int) length;
                body = new byte[Math.min(bodyLength, INITIAL_BUFFER)];
                bodyFilled = 0;
            }
            int n = Math.min(bodyLength - bodyFilled, in.readableBytes());
            ensureRoom(n);
            in.readBytes(body, bodyFilled, n);
            bodyFilled += n;
            if (bodyFilled == bodyLength) {
                byte[] frame = body;
                body = null;
                sink.onFrame(frame);
            }
        }
    }

    private void ensureRoom(int n) {
        int needed = bodyFilled + n;
        if (needed <= body.length) {
            return;
        }
        int size = body.length;
        while (size < needed) {
            size = (int) Math.min(bodyLength, 2L * size);
        }
        body = Arrays.copyOf(body, size);
    }

    /** True when the bytes seen so far end in the middle of a frame. */
    boolean midFrame() {
        return body != null || headerBytes > 0;
    }

    /** Bytes this parser holds now (the current frame's buffer), for memory bounds. */
    int bufferedBytes() {
        return body == null ? 0 : body.length;
    }
}
