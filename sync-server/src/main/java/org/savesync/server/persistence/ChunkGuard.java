package org.savesync.server.persistence;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;

/**
 * Keeps the garbage collector from deleting a chunk that a chunk list written during the
 * collection names. Every chunk list the hub writes, or is about to write, passes through
 * {@link #listed} first ({@link PgIndexStore}: a blob fetch stores its list before it asks the
 * store which chunks are there already, and again when it completes). While a collection runs
 * ({@link #begin} to {@link #end}), those chunks are protected; {@link #deleteUnlessListed}
 * drops the protected ones from what it deletes and deletes the rest while holding the same
 * lock. So for a chunk list naming chunk {@code c} and written during a collection, either the
 * list came first, and {@code c} is not deleted, or the deletion came first, and the fetch
 * that wrote the list then finds {@code c} absent and fetches it. Lists written before the
 * collection began are in the database when it reads its mark (it flushes the batched writes
 * first), so their chunks are marked.
 */
@Singleton
public class ChunkGuard {
    private Set<ChunkHash> protectedNow;

    /** A chunk list is written or about to be: while a collection runs, its chunks are not deleted. */
    public synchronized void listed(List<ChunkRef> chunks) {
        if (protectedNow != null) {
            for (ChunkRef c : chunks) {
                protectedNow.add(c.hash());
            }
        }
    }

    /** A collection starts; from now on listed chunks are protected until {@link #end}. */
    public synchronized void begin() {
        if (protectedNow != null) {
            throw new IllegalStateException("a chunk collection is running already");
        }
        protectedNow = new HashSet<>();
    }

    /** The collection is over. */
    public synchronized void end() {
        protectedNow = null;
    }

    /** What deletes a batch of chunks (the catalog rows, then the files). */
    public interface Deleter {
        void delete(List<ChunkHash> chunks) throws IOException;
    }

    /**
     * Deletes those of {@code candidates} no list named since {@link #begin}, holding the lock
     * that {@link #listed} takes; returns them.
     */
    public synchronized List<ChunkHash> deleteUnlessListed(List<ChunkHash> candidates, Deleter deleter)
            throws IOException {
        if (protectedNow == null) {
            throw new IllegalStateException("no chunk collection is running: begin() first");
        }
        List<ChunkHash> gone = new ArrayList<>(candidates.size());
        for (ChunkHash h : candidates) {
            if (!protectedNow.contains(h)) {
                gone.add(h);
            }
        }
        if (!gone.isEmpty()) {
            deleter.delete(gone);
        }
        return gone;
    }
}
