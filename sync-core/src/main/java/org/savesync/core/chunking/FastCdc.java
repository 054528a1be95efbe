package org.savesync.core.chunking;

import static org.savesync.core.chunking.ChunkingParams.AVG_SIZE;
import static org.savesync.core.chunking.ChunkingParams.MAX_SIZE;
import static org.savesync.core.chunking.ChunkingParams.MIN_SIZE;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * FastCDC content-defined chunking (Xia et al., USENIX ATC'16) with normalized chunking
 * around the average (see the cut rule). Everything below is a <b>protocol constant</b>: every peer must cut the same
 * bytes at the same places, or no chunk is ever shared. Changing any of it is a new
 * protocol version.
 *
 * <h2>Fingerprint</h2>
 * A Gear rolling hash over 64-bit words: for each byte {@code b},
 * {@code fp = (fp << 1) + GEAR[b]} (mod 2<sup>64</sup>). Because each step shifts by one,
 * byte {@code k} positions back only reaches bits {@code k..63}: the fingerprint after
 * a byte depends on exactly the last {@value #WINDOW} bytes.
 * <p>
 * {@code GEAR[i]} (i = 0..255) is the first 8 bytes, read big-endian, of
 * {@code SHA-256("savesync/gear/v1" || (byte) i)}, where the tag is the 16 ASCII bytes
 * {@code savesync/gear/v1} with no terminator.
 *
 * <h2>Cut rule</h2>
 * For a chunk starting at byte 0 of the remaining data of length {@code len}, let
 * {@code n = min(len, MAX_SIZE)}. If {@code len <= MIN_SIZE} the chunk is all of it.
 * Otherwise the chunk length is the smallest {@code L} with {@code MIN_SIZE <= L < n} such
 * that {@code (fp(L) & mask(L)) == 0}, or {@code n} if there is none, where
 * <ul>
 *   <li>{@code fp(L)} is the fingerprint over the {@value #WINDOW} bytes {@code [L-64, L)}
 *       (the hash is primed from byte {@code MIN_SIZE - 64}, so a candidate's fingerprint
 *       depends on content only, never on where the chunk started);</li>
 *   <li>{@code mask(L) = MASK_S} (18 one-bits, probability 2<sup>-18</sup>) while
 *       {@code L < AVG_SIZE}, and {@code MASK_L} (17 one-bits, 2<sup>-17</sup>) from
 *       {@code AVG_SIZE} on: the average's own mask before it, one bit looser after, which
 *       with the skipped MIN_SIZE gives a mean chunk of about 259 KiB on random data.
 *       Level-2 normalization (20/16 bits) was measured first and rejected: after a 1 MiB
 *       overwrite its cut points sometimes took several chunks to fall back into step
 *       (about 2–3% of edits cost more than 1 MiB + 2 × MAX_SIZE); level 1 (19/17) never
 *       did in the same experiment, but its mean chunk was about 310 KiB.</li>
 * </ul>
 * The mask bits sit in the top 48 bits of the word, spread out, because low bits of a
 * Gear hash see only the last few bytes (the paper's "padded" masks):
 * {@code MASK_L} has bits {@code 63 - 3k} for {@code k = 0..15} plus bit 62; {@code MASK_S}
 * has those plus bit 50. {@code MASK_S} containing {@code MASK_L}
 * means every strict candidate is also a loose one, so two chunkings of the same bytes that
 * started at different offsets fall back onto the same cut points quickly.
 * <p>
 * Skipping the first {@code MIN_SIZE} bytes of every chunk (bar the priming window) is
 * most of the speed; see {@link ChunkingParams} for the sizes.
 */
public final class FastCdc {
    /** Bytes that determine one fingerprint: the width of the hash word. */
    public static final int WINDOW = 64;
    /** Judged while the chunk would be shorter than {@link ChunkingParams#AVG_SIZE}: 18 bits. */
    public static final long MASK_S = 0xD24D_2492_4924_0000L;
    /** Judged from {@link ChunkingParams#AVG_SIZE} on: 17 bits, a subset of {@link #MASK_S}. */
    public static final long MASK_L = 0xD249_2492_4924_0000L;

    static final byte[] GEAR_TAG = "savesync/gear/v1".getBytes(StandardCharsets.US_ASCII);
    // static final: the JIT folds the array and its length, so `b & 0xFF` needs no bounds check.
    private static final long[] GEAR = gearTable();

    private FastCdc() {
    }

    /**
     * The length of the next chunk of {@code buf[off, off+len)}, by the rule in the class
     * comment: {@code len} itself when {@code len <= MIN_SIZE}, otherwise between
     * {@code MIN_SIZE} and {@code min(len, MAX_SIZE)}.
     * <p>
     * The answer depends on the bytes up to {@code off + min(len, MAX_SIZE)} only, so a
     * streaming caller that holds at least {@code MAX_SIZE} bytes (or the rest of the
     * input) gets the same cut as one holding the whole input.
     */
    public static int cut(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len <= MIN_SIZE) {
            return len;
        }
        final long[] gear = GEAR;
        final int n = Math.min(len, MAX_SIZE);
        final int normal = Math.min(n, AVG_SIZE);
        long fp = 0;
        // Prime with the 63 bytes before the first candidate's last byte.
        int p = off + MIN_SIZE - WINDOW;
        final int firstJudged = off + MIN_SIZE - 1;
        for (; p < firstJudged; p++) {
            fp = (fp << 1) + gear[buf[p] & 0xFF];
        }
        // p is the last byte of a candidate chunk of length p - off + 1.
        final int strictEnd = off + normal - 1;
        for (; p < strictEnd; p++) {
            fp = (fp << 1) + gear[buf[p] & 0xFF];
            if ((fp & MASK_S) == 0) {
                return p - off + 1;
            }
        }
        final int looseEnd = off + n - 1;
        for (; p < looseEnd; p++) {
            fp = (fp << 1) + gear[buf[p] & 0xFF];
            if ((fp & MASK_L) == 0) {
                return p - off + 1;
            }
        }
        return n;
    }

    /** {@code GEAR[i]}, for tests that pin the table. */
    static long gear(int i) {
        return GEAR[i];
    }

    private static long[] gearTable() {
        MessageDigest md = ChunkHash.sha256();
        long[] table = new long[256];
        for (int i = 0; i < 256; i++) {
            md.update(GEAR_TAG);
            md.update((byte) i);
            byte[] d = md.digest();
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (d[k] & 0xFF);
            }
            table[i] = v;
        }
        return table;
    }
}
