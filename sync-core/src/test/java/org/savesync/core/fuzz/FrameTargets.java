package org.savesync.core.fuzz;

import static org.savesync.core.fuzz.ParserTarget.AllocationBound.linear;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.savesync.core.transport.FrameParsing;
import org.savesync.core.transport.FrameTooLargeException;

/**
 * The u32 length framing of every QUIC stream ({@code FrameParser.feed}), checked against a
 * straightforward model of the format: the same frames must come out however the stream is cut
 * into pieces, keep-alives (length 0) never come out, and a header above the cap is refused with
 * {@link FrameTooLargeException} (and nothing else).
 *
 * <p>Input layout: one byte choosing the piece size (0 = the whole stream at once), then the
 * stream. When the transport gets per-ALPN caps, make {@code maxFrame} a parameter of the
 * parser and of {@link #target}; when buffers grow as bytes arrive, tighten {@link #bound} to
 * a multiple of the input length: that is what the bound is for.
 */
final class FrameTargets {
    private FrameTargets() {
    }

    static ParserTarget target() {
        return new ParserTarget(3, "FrameParser.feed", List.of(FrameTooLargeException.class),
                bound(FrameParsing.MAX_FRAME_SIZE), input -> check(input, FrameParsing.MAX_FRAME_SIZE), FrameTargets::seeds);
    }

    /**
     * Today the parser allocates a frame's whole announced length when its header arrives, so a
     * 4-byte header may cost one cap; beyond that, a copy of what it was given.
     */
    static ParserTarget.AllocationBound bound(int maxFrame) {
        ParserTarget.AllocationBound copies = linear(16, 64 * 1024);
        return n -> copies.maxBytes(n) + maxFrame;
    }

    private static void check(byte[] input, int maxFrame) throws FrameTooLargeException {
        if (input.length == 0) {
            return;
        }
        int piece = input[0] & 0xff;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        Model want = Model.of(stream, maxFrame);
        List<byte[]> got = new ArrayList<>();
        boolean mid;
        try {
            mid = FrameParsing.feed(stream, piece == 0 ? Math.max(1, stream.length) : piece, got);
        } catch (FrameTooLargeException e) {
            expectSameFrames(want, got);
            if (want.tooLarge < 0 || e.length() != want.tooLarge || e.max() != maxFrame) {
                throw new AssertionError("refused a frame of " + e.length() + " bytes (limit " + e.max()
                        + ") where the format says " + (want.tooLarge < 0 ? "nothing is too large" : want.tooLarge + " is"));
            }
            throw e;
        }
        expectSameFrames(want, got);
        if (want.tooLarge >= 0) {
            throw new AssertionError("accepted a header announcing " + want.tooLarge + " bytes, above the cap of " + maxFrame);
        }
        if (mid != want.midFrame) {
            throw new AssertionError("midFrame() is " + mid + " but the stream " + (want.midFrame ? "ends" : "does not end")
                    + " inside a frame");
        }
    }

    private static void expectSameFrames(Model want, List<byte[]> got) {
        if (got.size() != want.frames.size()) {
            throw new AssertionError(got.size() + " frames came out where the format has " + want.frames.size());
        }
        for (int i = 0; i < got.size(); i++) {
            if (!Arrays.equals(got.get(i), want.frames.get(i))) {
                throw new AssertionError("frame " + i + " differs from the bytes the stream carries");
            }
        }
    }

    /** What the format says a stream holds. */
    private record Model(List<byte[]> frames, long tooLarge, boolean midFrame) {
        static Model of(byte[] s, int maxFrame) {
            List<byte[]> frames = new ArrayList<>();
            int at = 0;
            while (s.length - at >= FrameParsing.HEADER_BYTES) {
                long length = ByteBuffer.wrap(s, at, 4).getInt() & 0xffffffffL;
                at += FrameParsing.HEADER_BYTES;
                if (length > maxFrame) {
                    return new Model(frames, length, false);
                }
                if (s.length - at < length) {
                    return new Model(frames, -1, true);
                }
                if (length > 0) {
                    frames.add(Arrays.copyOfRange(s, at, at + (int) length));
                }
                at += (int) length;
            }
            return new Model(frames, -1, at < s.length);
        }
    }

    private static List<byte[]> seeds() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) 3).putInt(5).put("hello".getBytes()).putInt(0).putInt(1).put((byte) 'x').putInt(6).put("world!".getBytes());
        byte[] frames = Arrays.copyOf(b.array(), b.position());
        byte[] whole = frames.clone();
        whole[0] = 0;
        byte[] byByte = frames.clone();
        byByte[0] = 1;
        byte[] cut = Arrays.copyOf(frames, frames.length - 2);
        byte[] tooLarge = ByteBuffer.allocate(10).put((byte) 2).putInt(1).put((byte) 'y').putInt(FrameParsing.MAX_FRAME_SIZE + 1)
                .array();
        return List.of(frames, whole, byByte, cut, tooLarge);
    }
}
