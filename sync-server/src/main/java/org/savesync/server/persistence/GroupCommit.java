package org.savesync.server.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.Session;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.failure.Failure;
import org.savesync.core.membership.GroupId;

/**
 * Group commit for the hub's ingest: catalog rows of stored chunks ({@code chunks}), chunk
 * lists and completion marks ({@code chunk_lists}) from every group, written by one thread in
 * one PostgreSQL transaction per batch instead of one each (each commit is a WAL fsync). A
 * batch closes at {@link #MAX_BATCH} writes or when {@link #linger} has passed since its first
 * write, whichever comes first; a write that arrives while a batch commits waits for the next.
 *
 * <p>What a caller gets: {@link #submit} returns at once (unless the queue is full) with a
 * future that completes once the write's batch is committed, or fails, with every other
 * write of that batch, when the transaction fails (nothing of the batch is kept). Callers
 * count a write as done only then: a chunk as stored, a blob as complete.
 *
 * <p>Bounded: at most {@link #QUEUE_CAPACITY} writes wait; {@link #submit} blocks while the
 * queue is full (back pressure; the engine's request budget keeps it far below that). A
 * queued write holds a chunk hash or a chunk list, never chunk bytes.
 *
 * <p>Order: writes are committed in the order submitted (a later batch never commits before an
 * earlier one), so {@link #flush} waits for everything submitted before it.
 */
@ApplicationScoped
public class GroupCommit {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    /** Most writes in one transaction. */
    static final int MAX_BATCH = 512;
    /** Most writes waiting. */
    static final int QUEUE_CAPACITY = 8_192;
    /** How long a batch waits for more writes after its first. */
    static final Duration DEFAULT_LINGER = Duration.ofMillis(2);

    /** One row to write. */
    sealed interface Write permits ChunkRow, ChunkListRow, Barrier {
    }

    /** A stored chunk's catalog row (kept when one is there). */
    record ChunkRow(ChunkHash hash, int length) implements Write {
    }

    /**
     * A blob's chunk list ({@code RecordCodec.encodeChunks}); {@code complete} also marks the
     * blob complete (a mark is never taken back by a later write without it).
     */
    record ChunkListRow(GroupId group, BlobId blob, byte[] chunks, boolean complete) implements Write {
    }

    /** Writes nothing: done once everything before it is committed or failed. */
    record Barrier() implements Write {
    }

    private record Pending(Write write, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final long lingerNanos;
    private volatile boolean closed;
    private Thread thread;

    GroupCommit() {
        this(DEFAULT_LINGER);
    }

    GroupCommit(Duration linger) {
        this.lingerNanos = linger.toNanos();
    }

    /** Starts the committing thread (the container calls it; tests that make their own call it). */
    @PostConstruct
    synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("savesync-group-commit").daemon().start(this::run);
        }
    }

    /** Commits what is queued, then stops; later writes fail. */
    @PreDestroy
    void stop() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) { // only when the thread did not finish in time
            left.done().completeExceptionally(closedFailure());
        }
    }

    /**
     * Queues {@code write}; the future completes once it is committed. Blocks while
     * {@link #QUEUE_CAPACITY} writes wait.
     */
    public CompletableFuture<Void> submit(Write write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(closedFailure());
            return done;
        }
        try {
            queue.put(new Pending(write, done));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new HubStorageException(null, "queue a write", "interrupted while the"
                    + " write queue was full; nothing was written", e));
        }
        return done;
    }

    /** Completes once everything submitted before is committed (or failed). */
    public CompletableFuture<Void> flush() {
        return submit(new Barrier());
    }

    /** Writes waiting for their batch now. */
    public int queued() {
        return queue.size();
    }

    /** Transactions committed so far. */
    public long batches() {
        return batches.get();
    }

    /** Transactions that failed so far (every write in them failed). */
    public long failedBatches() {
        return failedBatches.get();
    }

    /** Writes committed so far. */
    public long written() {
        return written.get();
    }

    private static HubStorageException closedFailure() {
        return new HubStorageException(null, "write", "the hub is shutting down; nothing was written (it is"
                + " done again after the restart)", null);
    }

    // -------------------------------------------------------------------- the committing thread

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < MAX_BATCH) {
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                    long wait = deadline - System.nanoTime();
                    if (batch.size() >= MAX_BATCH || wait <= 0) {
                        break;
                    }
                    Pending next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                commit(batch);
            } catch (InterruptedException e) {
                closed = true;
            } catch (RuntimeException | Error e) { // never let the thread die with writes waiting
                LOG.errorf(e, "the group commit thread failed: %s", Failure.describe(e));
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<ChunkRow> chunkRows = new ArrayList<>();
        Map<List<Object>, ChunkListRow> lists = new LinkedHashMap<>();
        for (Pending p : batch) {
            switch (p.write()) {
                case ChunkRow r -> chunkRows.add(r);
                case ChunkListRow l -> lists.merge(List.of(l.group(), l.blob()), l, GroupCommit::merge);
                case Barrier b -> { }
            }
        }
        int rows = chunkRows.size() + lists.size();
        RuntimeException failure = null;
        if (rows > 0) {
            try {
                QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().unwrap(Session.class)
                        .doWork(c -> {
                            insertChunks(c, chunkRows);
                            upsertLists(c, List.copyOf(lists.values()));
                        }));
                batches.incrementAndGet();
                written.addAndGet(batch.size());
            } catch (RuntimeException e) {
                failedBatches.incrementAndGet();
                failure = HubStorageException.databaseFailure(null, "commit a batch of " + rows
                        + " chunk catalog and chunk list rows", e);
                LOG.warnf("%s; its %d chunks and blobs are fetched again", failure.getMessage(), rows);
            }
        }
        for (Pending p : batch) {
            if (failure == null || p.write() instanceof Barrier) {
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(failure);
            }
        }
    }

    /** Two writes of one blob's list in a batch: the later list, complete when either says so. */
    private static ChunkListRow merge(ChunkListRow a, ChunkListRow b) {
        return new ChunkListRow(b.group(), b.blob(), b.chunks(), a.complete() || b.complete());
    }

    private static void insertChunks(Connection c, List<ChunkRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO chunks (hash, length, stored_at) VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows.size(), "(?, ?, now())"))
                + " ON CONFLICT (hash) DO NOTHING";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            for (ChunkRow r : rows) {
                st.setBytes(i++, r.hash().bytes());
                st.setInt(i++, r.length());
            }
            st.executeUpdate();
        }
    }

    private static void upsertLists(Connection c, List<ChunkListRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO chunk_lists (group_id, blob_id, chunks, complete) VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows.size(), "(?, ?, ?, ?)"))
                + " ON CONFLICT (group_id, blob_id) DO UPDATE SET chunks = EXCLUDED.chunks,"
                + " complete = chunk_lists.complete OR EXCLUDED.complete";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            for (ChunkListRow r : rows) {
                st.setBytes(i++, r.group().bytes());
                st.setBytes(i++, r.blob().bytes());
                st.setBytes(i++, r.chunks());
                st.setBoolean(i++, r.complete());
            }
            st.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "GroupCommit[queued=" + queue.size() + " batches=" + batches.get() + " failed=" + failedBatches.get()
                + "]";
    }
}
