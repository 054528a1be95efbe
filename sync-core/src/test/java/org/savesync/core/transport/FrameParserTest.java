package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameParserTest {

    private static byte[] frames(byte[]... payloads) {
        ByteBuf buf = Unpooled.buffer();
        for (byte[] p : payloads) {
            buf.writeInt(p.length).writeBytes(p);
        }
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    @Test
    void framesSplitAtEveryByteBoundaryComeOutWholeAndKeepAlivesAreSkipped() throws Exception {
        byte[] wire = frames("hello".getBytes(), new byte[0], "x".getBytes(), new byte[0], "world!".getBytes());
        for (int chunk = 1; chunk <= wire.length; chunk++) {
            FrameParser parser = new FrameParser();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < wire.length; i += chunk) {
                parser.feed(Unpooled.wrappedBuffer(wire, i, Math.min(chunk, wire.length - i)), p -> got.add(new String(p)));
            }
            assertThat(got).as("chunk size %d", chunk).containsExactly("hello", "x", "world!");
            assertThat(parser.midFrame()).isFalse();
        }
    }

    @Test
    void aFrameOfExactlyTheLimitIsAcceptedOneByteMoreIsRefused() throws Exception {
        FrameParser ok = new FrameParser();
        List<byte[]> got = new ArrayList<>();
        ok.feed(Unpooled.buffer().writeInt(Frames.MAX_FRAME_SIZE).writeZero(Frames.MAX_FRAME_SIZE), got::add);
        assertThat(got).singleElement().satisfies(f -> assertThat(f).hasSize(Frames.MAX_FRAME_SIZE));

        FrameParser parser = new FrameParser();
        assertThatThrownBy(() -> parser.feed(Unpooled.buffer().writeInt(Frames.MAX_FRAME_SIZE + 1), p -> { }))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> {
                    assertThat(e.length()).isEqualTo(Frames.MAX_FRAME_SIZE + 1L);
                    assertThat(e.max()).isEqualTo(Frames.MAX_FRAME_SIZE);
                    assertThat(e.getMessage()).contains("4194305").contains("4194304").contains("split");
                });
    }

    @Test
    void lengthIsUnsigned() {
        FrameParser parser = new FrameParser();
        assertThatThrownBy(() -> parser.feed(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}), p -> { }))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> assertThat(e.length()).isEqualTo(0xffffffffL));
    }

    @Test
    void anAnnouncedLengthAllocatesNothingUntilTheBytesArriveAndTheBufferGrowsWithThem() throws Exception {
        FrameParser parser = new FrameParser();
        List<byte[]> got = new ArrayList<>();
        parser.feed(Unpooled.buffer().writeInt(Frames.MAX_FRAME_SIZE).writeZero(10), got::add);
        assertThat(parser.bufferedBytes()).as("4 MiB announced, 10 bytes sent")
                .isLessThanOrEqualTo(FrameParser.INITIAL_BUFFER);
        parser.feed(Unpooled.buffer().writeZero(100_000), got::add);
        assertThat(parser.bufferedBytes()).as("100 010 bytes received").isLessThanOrEqualTo(2 * 100_010);
        parser.feed(Unpooled.buffer().writeZero(Frames.MAX_FRAME_SIZE - 100_010), got::add);
        assertThat(got).singleElement().satisfies(f -> assertThat(f).hasSize(Frames.MAX_FRAME_SIZE));
        assertThat(parser.bufferedBytes()).isZero();
    }

    @Test
    void theCapIsAskedAtEveryHeader() throws Exception {
        int[] cap = {6};
        FrameParser parser = new FrameParser(() -> cap[0]);
        List<byte[]> got = new ArrayList<>();
        parser.feed(Unpooled.wrappedBuffer(frames("sixsix".getBytes())), p -> {
            got.add(p);
            cap[0] = 100;
        });
        parser.feed(Unpooled.wrappedBuffer(frames(new byte[100])), got::add);
        assertThat(got).hasSize(2);
        assertThatThrownBy(() -> parser.feed(Unpooled.buffer().writeInt(101), p -> { }))
                .isInstanceOfSatisfying(FrameTooLargeException.class, e -> assertThat(e.max()).isEqualTo(100));
    }
}
