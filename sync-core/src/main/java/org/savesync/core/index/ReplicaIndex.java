package org.savesync.core.index;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;

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

    /**
     * Stores a blob's (verified) chunk list without making the caller wait for the write: the
     * stage completes once it is durable, or fails (then the list is simply not kept, and is
     * asked of the members again after a restart). Reads ({@link #chunkList}) see it from then
     * on. The engine calls this from its own thread, which must not block on a database. The
     * default stores it now ({@link #putChunkList}).
     */
    default CompletionStage<Void> putChunkListLater(BlobId blob, List<ChunkRef> chunks) {
        try {
            putChunkList(blob, chunks);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Stores {@code chunks} as the blob's chunk list (unless held) and marks the blob complete,
     * in one durable step that the caller does not wait for: the stage completes once both are
     * durable, and only from then on does {@link #isComplete} say so; when it fails, neither
     * counts and the blob is to be fetched again. Every chunk must be durably stored before
     * this is called. The default does it now ({@link #putChunkList}, {@link #markComplete}).
     */
    default CompletionStage<Void> completeLater(BlobId blob, List<ChunkRef> chunks) {
        try {
            if (chunkList(blob).filter(chunks::equals).isEmpty()) {
                putChunkList(blob, chunks);
            }
            markComplete(blob);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every blob marked complete (a snapshot). */
    java.util.Set<BlobId> completeBlobs();

    /**
     * Blobs of file entries currently held (the newest entry of each author and path) that
     * are not complete yet, at most {@code limit}, the empty blob never among them.
     */
    List<BlobId> incompleteBlobs(int limit);
}
