package org.savesync.core.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.savesync.core.chunking.ChunkingParams.MAX_SIZE;
import static org.savesync.core.chunking.ChunkingParams.MIN_SIZE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;

/**
 * The cut rule is a protocol constant: these tests pin the gear table, the masks and the
 * cut points themselves, so that any change to them fails here before it splits the network.
 */
class FastCdcTest {

    /** Golden: chunk lengths of 16 MiB from {@code new SplittableRandom(42).nextBytes}. */
    private static final int[] GOLDEN_LENGTHS = {
        167778, 84443, 386360, 70797, 329827, 285219, 162598, 219171, 362525, 174340,
        622784, 82926, 530591, 132215, 440903, 113131, 126167, 302151, 272719, 451564,
        196008, 580770, 476140, 287245, 251382, 137811, 292520, 220116, 328109, 289625,
        255625, 271774, 291278, 319713, 341351, 210775, 198743, 232523, 170077, 291161,
        252076, 377942, 200305, 594067, 404904, 179815, 388871, 279088, 267702, 132374,
        443273, 147584, 343957, 185562, 449754, 432392, 441863, 232044, 62688,
    };
    private static final String GOLDEN_BLOB_ID = "9da48774dfe20e756a39be8b5d66ce16cef345f3897c1a9b28519c2b6d8d9421";

    @Test
    void gearTableFollowsTheWrittenRule() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 256; i++) {
            md.update("savesync/gear/v1".getBytes(StandardCharsets.US_ASCII));
            md.update((byte) i);
            long expected = java.nio.ByteBuffer.wrap(md.digest()).getLong();
            assertThat(FastCdc.gear(i)).as("GEAR[%d]", i).isEqualTo(expected);
        }
        assertThat(FastCdc.gear(0)).isEqualTo(0x48c2_7112_5eb2_d76bL);
    }

    @Test
    void masksFollowTheWrittenRule() {
        long loose = 1L << 62;
        for (int k = 0; k < 16; k++) {
            loose |= 1L << (63 - 3 * k);
        }
        long strict = loose | 1L << 50;
        assertThat(FastCdc.MASK_L).isEqualTo(loose);
        assertThat(FastCdc.MASK_S).isEqualTo(strict);
        // 2^18 = 256 KiB is the average: its own mask before it, one bit looser after.
        assertThat(Long.bitCount(FastCdc.MASK_S)).isEqualTo(18);
        assertThat(Long.bitCount(FastCdc.MASK_L)).isEqualTo(17);
        assertThat(FastCdc.MASK_S & FastCdc.MASK_L).as("strict contains loose").isEqualTo(FastCdc.MASK_L);
        assertThat(Long.numberOfTrailingZeros(FastCdc.MASK_L)).as("only the top 48 bits").isGreaterThanOrEqualTo(16);
    }

    @Test
    void goldenCutPointsAndBlobId() {
        byte[] data = random(42, 16 << 20);
        List<Integer> lengths = new ArrayList<>();
        for (int pos = 0; pos < data.length; ) {
            int len = FastCdc.cut(data, pos, data.length - pos);
            lengths.add(len);
            pos += len;
        }
        assertThat(lengths).containsExactly(boxed(GOLDEN_LENGTHS));
        assertThat(Chunker.chunk(data).blobId()).hasToString(GOLDEN_BLOB_ID);
    }

    @Test
    void uniformDataIsCutAtMaxSize() {
        // A constant input has a constant fingerprint (-GEAR[0] for zeros) that matches neither
        // mask, so only the MAX_SIZE limit cuts it.
        FileChunks zeros = Chunker.chunk(new byte[4 * MAX_SIZE + 5]);
        assertThat(zeros.chunks()).extracting(ChunkRef::length).containsExactly(MAX_SIZE, MAX_SIZE, MAX_SIZE, MAX_SIZE, 5);
    }

    @TestFactory
    Stream<DynamicTest> shortInputIsOneChunk() {
        return Seeded.tries(50, g -> shortInputIsOneChunk(g.intBetween(0, MIN_SIZE), g.anyLong()));
    }

    private static void shortInputIsOneChunk(int len, long seed) {
        byte[] data = random(seed, len + 7);
        assertThat(FastCdc.cut(data, 7, len)).isEqualTo(len);
    }

    @TestFactory
    Stream<DynamicTest> chunksStayWithinBoundsAndDoNotDependOnArrayPosition() {
        return Seeded.tries(30, g -> chunksStayWithinBoundsAndDoNotDependOnArrayPosition(
                g.intBetween(MIN_SIZE + 1, 3 * MAX_SIZE), g.intBetween(0, 1000), g.anyLong()));
    }

    private static void chunksStayWithinBoundsAndDoNotDependOnArrayPosition(int len, int shift, long seed) {
        byte[] data = random(seed, len);
        byte[] shifted = new byte[shift + len + 1000];
        System.arraycopy(data, 0, shifted, shift, len);
        int pos = 0;
        while (pos < len) {
            int cut = FastCdc.cut(data, pos, len - pos);
            boolean last = pos + cut == len;
            if (!last) {
                assertThat(cut).isBetween(MIN_SIZE, MAX_SIZE);
            }
            assertThat(cut).isBetween(1, MAX_SIZE);
            assertThat(FastCdc.cut(shifted, shift + pos, len - pos)).isEqualTo(cut);
            pos += cut;
        }
    }

    @TestFactory
    Stream<DynamicTest> bytesBeyondMaxSizeDoNotChangeTheCut() {
        return Seeded.tries(20, g -> bytesBeyondMaxSizeDoNotChangeTheCut(g.anyLong(), g.intBetween(1, MAX_SIZE)));
    }

    private static void bytesBeyondMaxSizeDoNotChangeTheCut(long seed, int extra) {
        // What lets the streaming chunker cut as soon as it holds MAX_SIZE bytes.
        byte[] data = random(seed, MAX_SIZE + extra);
        assertThat(FastCdc.cut(data, 0, data.length)).isEqualTo(FastCdc.cut(data, 0, MAX_SIZE));
    }

    static byte[] random(long seed, int len) {
        byte[] b = new byte[len];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static Integer[] boxed(int[] a) {
        Integer[] r = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }
}
