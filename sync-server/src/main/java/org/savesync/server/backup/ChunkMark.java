package org.savesync.server.backup;

import java.util.Arrays;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.server.persistence.ChunkListRows;

/**
 * The chunks that the chunk lists of every group name, as the sorted first 8 bytes of each hash
 * (8 bytes per chunk reference while it is read, e.g. 80 MB for 10 million; each distinct prefix
 * kept once). {@link #names} may say yes for a chunk no list names whose first 8 bytes equal a
 * named one's (about one in 2<sup>64</sup> per pair): callers use it to keep, never to delete.
 */
final class ChunkMark {
    private final long[] prefixes;

    private ChunkMark(long[] prefixes) {
        this.prefixes = prefixes;
    }

    /** Reads every chunk list of every group (a stream over {@code chunk_lists}). */
    static ChunkMark read() {
        long[][] buf = {new long[1024]};
        int[] n = {0};
        ChunkListRows.forEach((chunks, complete) -> chunks.forEach(c -> {
            if (n[0] == buf[0].length) {
                buf[0] = Arrays.copyOf(buf[0], n[0] * 2);
            }
            buf[0][n[0]++] = prefix(c.hash());
        }));
        long[] all = Arrays.copyOf(buf[0], n[0]);
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        return new ChunkMark(Arrays.copyOf(all, distinct));
    }

    /** Whether a chunk list names {@code h} (or a chunk with the same first 8 bytes). */
    boolean names(ChunkHash h) {
        return Arrays.binarySearch(prefixes, prefix(h)) >= 0;
    }

    /** Distinct chunks named (by prefix). */
    int size() {
        return prefixes.length;
    }

    private static long prefix(ChunkHash h) {
        byte[] b = new byte[ChunkHash.LENGTH];
        h.copyTo(b, 0);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
