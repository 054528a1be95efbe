package org.savesync.server.backup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;

/**
 * The bytes a set of versions holds in the chunk store, each distinct chunk counted once:
 * versions name blobs, blobs list chunks, and blobs and chunks are shared (two versions with
 * the same content, two files with a chunk in common). Counts references, so removing a
 * version gives back exactly the bytes no other version still needs.
 */
final class ChunkTally {
    private final Function<BlobId, List<ChunkRef>> lists;
    private final Map<BlobId, Integer> versionsPerBlob = new HashMap<>();
    private final Map<ChunkHash, Integer> blobsPerChunk = new HashMap<>();
    private long bytes;

    /** @param lists the chunk list of a blob, empty when the hub holds none (it then counts 0 bytes) */
    ChunkTally(Function<BlobId, List<ChunkRef>> lists) {
        this.lists = lists;
    }

    /** Counts a version of content {@code blob} (null: a directory, symlink or deletion: no bytes). */
    void add(BlobId blob) {
        if (blob == null || versionsPerBlob.merge(blob, 1, Integer::sum) > 1) {
            return;
        }
        for (ChunkRef c : distinct(blob)) {
            if (blobsPerChunk.merge(c.hash(), 1, Integer::sum) == 1) {
                bytes += c.length();
            }
        }
    }

    /** Stops counting a version added before; returns the bytes no counted version needs any more. */
    long remove(BlobId blob) {
        if (blob == null) {
            return 0;
        }
        Integer n = versionsPerBlob.get(blob);
        if (n == null) {
            throw new IllegalArgumentException("blob " + blob.shortString() + " was not counted");
        }
        if (n > 1) {
            versionsPerBlob.put(blob, n - 1);
            return 0;
        }
        versionsPerBlob.remove(blob);
        long freed = 0;
        for (ChunkRef c : distinct(blob)) {
            int left = blobsPerChunk.merge(c.hash(), -1, Integer::sum);
            if (left == 0) {
                blobsPerChunk.remove(c.hash());
                freed += c.length();
            }
        }
        bytes -= freed;
        return freed;
    }

    /** Whether any counted version still needs the chunk. */
    boolean needs(ChunkHash chunk) {
        return blobsPerChunk.containsKey(chunk);
    }

    long bytes() {
        return bytes;
    }

    /** A blob's chunks, each once (a blob may repeat a chunk: a file of zeros). */
    private List<ChunkRef> distinct(BlobId blob) {
        Map<ChunkHash, ChunkRef> once = new java.util.LinkedHashMap<>();
        for (ChunkRef c : lists.apply(blob)) {
            once.putIfAbsent(c.hash(), c);
        }
        return List.copyOf(once.values());
    }
}
