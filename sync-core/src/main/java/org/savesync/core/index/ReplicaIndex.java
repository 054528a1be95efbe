package org.savesync.core.index;

import java.util.List;
import org.savesync.core.chunking.BlobId;

/**
 * The index of a group kept as a full replica without a folder (the hub): besides the
 * entries and chunk lists of {@link IndexStore}, which blobs have every chunk in the
 * {@link org.savesync.core.chunkstore.ChunkStore}. A blob is marked complete only after
 * all its chunks were durably stored, so after a crash an incomplete blob is fetched again
 * (its stored chunks are kept; they count as the group's only once a blob of the group is
 * complete, see {@code engine.GroupChunks}).
 */
public interface ReplicaIndex extends IndexStore {

    /** Every chunk of {@code blob} is in the chunk store (its chunk list is stored already). */
    void markComplete(BlobId blob);

    boolean isComplete(BlobId blob);

    /** Every blob marked complete (a snapshot). */
    java.util.Set<BlobId> completeBlobs();

    /**
     * Blobs of file entries currently held (the newest entry of each author and path) that
     * are not complete yet, at most {@code limit}, the empty blob never among them.
     */
    List<BlobId> incompleteBlobs(int limit);
}
