package org.savesync.core.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.index.ReplicaIndex;

/**
 * The chunks one group holds on a full replica: those of its blobs marked complete. The chunk
 * store is shared by every group (content-addressed), so "the store has it" says nothing about
 * whether the group asking may read it. A replica serves a chunk to a group's member only when
 * this set holds it, and counts a stored chunk as already fetched for a group only when this
 * set holds it; otherwise it fetches the bytes again from that group's members. So a member
 * that knows a chunk hash of another group can neither read it nor learn that it is there
 * (absent and foreign get the same answer, from the same check), and a hash alone never makes
 * a blob complete. Thread-safe: read on the I/O threads, written on the engine thread.
 *
 * <p>Memory: one map entry per distinct chunk of the group's complete blobs; the chunk lists
 * themselves are held by the index already.
 */
final class GroupChunks {
    private final Map<ChunkHash, Boolean> held = new ConcurrentHashMap<>();

    /** The chunks of every blob {@code index} marks complete. */
    static GroupChunks of(ReplicaIndex index) {
        GroupChunks g = new GroupChunks();
        for (BlobId b : index.completeBlobs()) {
            index.chunkList(b).ifPresent(g::add);
        }
        return g;
    }

    /** A blob with these chunks became complete in the group. */
    void add(List<ChunkRef> chunks) {
        for (ChunkRef c : chunks) {
            held.put(c.hash(), Boolean.TRUE);
        }
    }

    boolean holds(ChunkHash hash) {
        return held.containsKey(hash);
    }

    int size() {
        return held.size();
    }
}
