package org.savesync.server.backup;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.failure.Failure;
import org.savesync.server.config.HubConfig;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.ChunkGuard;
import org.savesync.server.persistence.GroupCommit;

/**
 * Deletes the chunks that no chunk list of any group names: what retention leaves behind.
 *
 * <p><b>Why mark and sweep, and not reference counts.</b> Counts kept in the same transactions
 * as the chunk lists would put a row update per chunk on the ingest path (the hub's hot path,
 * batched by {@link GroupCommit}), and every list write, group removal and retention run would
 * have to keep them exact forever; one wrong count loses data silently. Mark and sweep derives
 * everything from the chunk lists, which are the truth anyway, costs nothing while no collection
 * runs, and a collection that dies half way leaves nothing to repair. What it must get right is
 * concurrency, and that is one rule in one place ({@link ChunkGuard}):
 * <ol>
 *   <li>{@link ChunkGuard#begin}: from now on every chunk list written is protected;
 *   <li>flush the batched writes ({@link GroupCommit#flush}), so every list written before is in
 *       the database;
 *   <li>mark: every chunk named by a chunk list of any group (complete or not: a fetch in flight
 *       has stored its list before it relies on chunks the store already has);
 *   <li>sweep: catalog rows older than the grace period that are not marked, in batches
 *       ({@code savesync.retention.gc-batch}); each
 *       batch drops what a list named since step 1 and deletes the rest (catalog rows in one
 *       transaction, then the files) under the guard's lock.
 * </ol>
 * A chunk being written by a fetch belongs to a list stored before it, so it is marked or
 * protected. The grace period ({@code savesync.retention.chunk-grace}) only adds a margin.
 *
 * <p><b>Crashes.</b> Rows go before files, so a crash leaves at most files without rows, which
 * the store records again at its next start (re-hashed) and the next collection deletes.
 *
 * <p><b>Memory.</b> The mark is a {@link ChunkMark}: 8 bytes per chunk reference while it is
 * built; a chunk whose first 8 bytes match a named one is kept, which errs only on the side of
 * keeping. The catalog and the lists are read as streams; only the candidates are held.
 */
@ApplicationScoped
public class ChunkCollector {
    private final CatalogedChunkStore store;
    private final ChunkGuard guard;
    private final GroupCommit commit;
    private final int batch;
    private final AtomicLong deletedTotal = new AtomicLong();
    private final AtomicLong bytesFreedTotal = new AtomicLong();
    private volatile long candidatesNow;

    ChunkCollector(CatalogedChunkStore store, ChunkGuard guard, GroupCommit commit, HubConfig config) {
        this.store = store;
        this.guard = guard;
        this.commit = commit;
        this.batch = config.retention().gcBatch();
        if (batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("savesync.retention.gc-batch must be between 1 and 10000, got " + batch);
        }
    }

    /** Chunks deleted since start, counted batch by batch as a collection goes (its progress). */
    public long deletedTotal() {
        return deletedTotal.get();
    }

    /** Chunk bytes deleted since start. */
    public long bytesFreedTotal() {
        return bytesFreedTotal.get();
    }

    /** Candidates of the collection running now; 0 when none runs. */
    public long candidatesNow() {
        return candidatesNow;
    }

    /**
     * What a collection did.
     *
     * @param named     distinct chunks the chunk lists name (the mark)
     * @param candidates catalog rows older than the grace period that the mark does not name
     * @param deleted   chunks deleted
     * @param protectedMeanwhile candidates kept because a list written during the collection named them
     * @param bytesFreed chunk bytes deleted
     */
    public record Collection(Instant at, long named, long candidates, long deleted, long protectedMeanwhile,
                             long bytesFreed, Duration took) {
    }

    /** Runs one collection; chunks stored after {@code now - grace} are kept whatever the mark says. */
    public Collection collect(Instant now, Duration grace) {
        long start = System.nanoTime();
        guard.begin();
        try {
            commit.flush().join();
            ChunkMark mark = ChunkMark.read();
            List<ChunkHash> candidates = new ArrayList<>();
            Map<ChunkHash, Integer> lengths = new HashMap<>();
            CatalogedChunkStore.forEachRecordedBefore(now.minus(grace), (h, length) -> {
                if (!mark.names(h)) {
                    candidates.add(h);
                    lengths.put(h, length);
                }
            });
            candidatesNow = candidates.size();
            long deleted = 0;
            long bytes = 0;
            for (int i = 0; i < candidates.size(); i += batch) {
                List<ChunkHash> gone = guard.deleteUnlessListed(candidates.subList(i, Math.min(i + batch,
                        candidates.size())), store::deleteAll);
                long freed = 0;
                for (ChunkHash h : gone) {
                    freed += lengths.get(h);
                }
                deleted += gone.size();
                bytes += freed;
                deletedTotal.addAndGet(gone.size());
                bytesFreedTotal.addAndGet(freed);
            }
            return new Collection(now, mark.size(), candidates.size(), deleted, candidates.size() - deleted, bytes,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("chunk collection stopped: " + Failure.describe(e), e);
        } finally {
            candidatesNow = 0;
            guard.end();
        }
    }

}
