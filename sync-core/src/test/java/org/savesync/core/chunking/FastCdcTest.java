package org.savesync.core.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.savesync.core.chunking.ChunkingParams.MAX_SIZE;
import static org.savesync.core.chunking.ChunkingParams.MIN_SIZE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The cut rule is a protocol constant: these tests pin the gear table, the masks and the
 * cut points themselves, so that any change to them fails here before it splits the network.
 */
class FastCdcTest {

    /** Golden: chunk lengths of 16 MiB from {@code new SplittableRandom(42).nextBytes}. */
    private static final int[] GOLDEN_LENGTHS = {
        167778, 325458, 310287, 282627, 279752, 340291, 344541, 192324, 342358, 280426,
        374368, 320835, 268857, 266199, 386729, 309598, 266520, 259261, 196008, 271817,
        308953, 359659, 403726, 318282, 363431, 400518, 269395, 423562, 270152, 292900,
        275846, 385218, 210775, 198743, 324047, 263919, 105795, 287855, 290939, 268554,
        269362, 267240, 272997, 273797, 262498, 263601, 487927, 457670, 265561, 267287,
        141829, 304256, 265901, 413842, 460413, 232044, 62688,
    };
    private static final String GOLDEN_BLOB_ID = "410fc13e1d167441bad6863cd9110962730647079d812c2c0f97c9bad32e07ef";

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
        long loose = 0;
        for (int k = 0; k < 16; k++) {
            loose |= 1L << (63 - 3 * k);
        }
        long strict = loose;
        for (int j = 0; j < 4; j++) {
            strict |= 1L << (62 - 12 * j);
        }
        assertThat(FastCdc.MASK_L).isEqualTo(loose);
        assertThat(FastCdc.MASK_S).isEqualTo(strict);
        // 2^18 = 256 KiB is the average; level 2 normalization is ±2 bits around it.
        assertThat(Long.bitCount(FastCdc.MASK_S)).isEqualTo(20);
        assertThat(Long.bitCount(FastCdc.MASK_L)).isEqualTo(16);
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

    @Property(tries = 50)
    void shortInputIsOneChunk(@ForAll @IntRange(min = 0, max = MIN_SIZE) int len, @ForAll long seed) {
        byte[] data = random(seed, len + 7);
        assertThat(FastCdc.cut(data, 7, len)).isEqualTo(len);
    }

    @Property(tries = 30)
    void chunksStayWithinBoundsAndDoNotDependOnArrayPosition(
            @ForAll @IntRange(min = MIN_SIZE + 1, max = 3 * MAX_SIZE) int len,
            @ForAll @IntRange(min = 0, max = 1000) int shift,
            @ForAll long seed) {
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

    @Property(tries = 20)
    void bytesBeyondMaxSizeDoNotChangeTheCut(@ForAll long seed, @ForAll @IntRange(min = 1, max = MAX_SIZE) int extra) {
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
