package org.savesync.server.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunkstore.ChunkStore;
import org.savesync.core.chunkstore.FileChunkStore;
import org.savesync.core.failure.Failure;

/**
 * The hub's chunk store: a {@link FileChunkStore} under {@code ${savesync.data-dir}/chunks}
 * plus a catalog row per chunk in the {@code chunks} table (hash, length, when stored), which
 * lets SQL answer what is stored. The file is the truth: {@link #contains}, {@link #get},
 * {@link #count} and {@link #bytes} ask the files.
 *
 * <p>Order of writes: {@link #put} moves the file into place first and writes the row after,
 * {@link #delete} deletes the row first and the file after; so a crash in between only ever
 * leaves a file without a row. At startup every such file is re-hashed: recorded when its
 * bytes match its name, deleted when they do not (it will be fetched again).
 *
 * <p>Rows are written through {@link GroupCommit}: the engine's {@link #putAsync} hands the
 * chunk to one of {@value #WRITER_THREADS} writer threads, which writes, fsyncs and renames the
 * file and then queues the row; the row is committed with those of other chunks in one
 * transaction, and only then does the chunk count as stored (its request slot is returned).
 * Several writers because fsyncs issued at the same time share ext4 journal commits: on this
 * project's 2-core test machine 200 files of 256 KiB took 7.0 ms each fsynced one after the
 * other and 1.7 ms each from 8 threads, while the engine has only {@code max(2, cores)} I/O
 * threads, which also hash. The writers' queue is bounded ({@value #WRITER_QUEUE}); when it is
 * full the caller writes the file itself. A failed batch fails every chunk in it; their files stay (without rows, as after
 * a crash) and the chunks are fetched again.
 */
@ApplicationScoped
@Startup
public class CatalogedChunkStore implements ChunkStore {
    private static final Logger LOG = Logger.getLogger(CatalogedChunkStore.class);
    /** The chunk store's directory inside the data directory. */
    public static final String DIR = "chunks";
    private static final String INSERT_ROW = "INSERT INTO chunks (hash, length, stored_at) VALUES (?1, ?2, now())"
            + " ON CONFLICT (hash) DO NOTHING";

    /** Threads that write and fsync chunk files (see the class comment). */
    static final int WRITER_THREADS = 8;
    /** Chunks waiting for a writer; past it the caller writes (each holds its bytes). */
    static final int WRITER_QUEUE = 256;

    private final Path root;
    private final GroupCommit commit;
    private FileChunkStore files;
    private ThreadPoolExecutor writers;

    CatalogedChunkStore(@ConfigProperty(name = "savesync.data-dir") Path dataDir, GroupCommit commit) {
        this.root = dataDir.resolve(DIR);
        this.commit = commit;
    }

    @PostConstruct
    void start() {
        try {
            files = FileChunkStore.open(root);
            reconcile();
            writers = new ThreadPoolExecutor(WRITER_THREADS, WRITER_THREADS, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(WRITER_QUEUE), Thread.ofPlatform().name("savesync-chunk-writer-", 0)
                    .daemon().factory(), (task, pool) -> {
                        if (pool.isShutdown()) {
                            throw new RejectedExecutionException("the chunk store is closing");
                        }
                        task.run(); // the queue is full: the caller writes it (back pressure)
                    });
            writers.allowCoreThreadTimeOut(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the chunk store in " + root + ": " + Failure.describe(e)
                    + "; check that the data directory exists and the hub may write to it", e);
        }
    }

    @PreDestroy
    void stop() {
        if (writers != null) {
            writers.shutdown();
            try {
                writers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        files.close();
    }

    /** The file store underneath (for checks). */
    public FileChunkStore files() {
        return files;
    }

    /** Records files that have no row (re-hashed first) and deletes those whose bytes do not match their name. */
    private void reconcile() throws IOException {
        Map<ChunkHash, Integer> rows = recordedLengths();
        List<ChunkHash> unrecorded = new ArrayList<>();
        files.forEach(h -> {
            if (rows.remove(h) == null) {
                unrecorded.add(h);
            }
        });
        int recorded = 0;
        int deleted = 0;
        for (ChunkHash h : unrecorded) {
            Optional<byte[]> data = files.get(h);
            if (data.isEmpty()) {
                continue;
            }
            byte[] bytes = data.get();
            if (bytes.length > 0 && h.matches(bytes, 0, bytes.length)) {
                insertRow(h, bytes.length);
                recorded++;
            } else {
                files.delete(h);
                deleted++;
            }
        }
        if (recorded + deleted > 0) {
            LOG.infof("chunk store %s: %d chunk files had no catalog row (a crash between file and row): %d recorded,"
                    + " %d deleted as corrupt (they are fetched again)", root, recorded + deleted, recorded, deleted);
        }
        if (!rows.isEmpty()) {
            LOG.warnf("chunk store %s: %d catalog rows name chunks whose files are gone (deleted outside the hub?);"
                    + " GET /api/v1/check reports what is missing", root, rows.size());
        }
    }

    /** Every row of the catalog: hash → length. */
    public static Map<ChunkHash, Integer> recordedLengths() {
        try {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                    .createQuery("select c.hash, c.length from ChunkEntity c", Object[].class).getResultList());
            Map<ChunkHash, Integer> out = new HashMap<>(rows.size() * 2);
            rows.forEach(r -> out.put(ChunkHash.of((byte[]) r[0]), (Integer) r[1]));
            return out;
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "read the chunk catalog", e);
        }
    }

    private static void insertRow(ChunkHash hash, int length) {
        try {
            QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(INSERT_ROW)
                    .setParameter(1, hash.bytes()).setParameter(2, length).executeUpdate());
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "record chunk " + hash.shortString(), e);
        }
    }

    @Override
    public boolean contains(ChunkHash hash) {
        return files.contains(hash);
    }

    /** Stores the file (durable after {@link #sync}), then its catalog row; returns once the row is committed. */
    @Override
    public void put(ChunkHash hash, byte[] data) throws IOException {
        try {
            putAsync(hash, data).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : HubStorageException.databaseFailure(null, "record chunk " + hash.shortString(), e);
        }
    }

    /**
     * A writer thread stores the file, then queues its catalog row; the stage completes once the
     * row's batch is committed, or fails with what went wrong (the file, or the batch).
     */
    @Override
    public CompletionStage<Void> putAsync(ChunkHash hash, byte[] data) throws IOException {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        try {
            writers.execute(() -> {
                try {
                    files.put(hash, data);
                } catch (IOException | RuntimeException e) {
                    stored.completeExceptionally(e);
                    return;
                }
                commit.submit(new GroupCommit.ChunkRow(hash, data.length)).whenComplete((v, e) -> {
                    if (e == null) {
                        stored.complete(null);
                    } else {
                        stored.completeExceptionally(e);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            throw new IOException("cannot store chunk " + hash.shortString() + ": the chunk store is closing", e);
        }
        return stored;
    }

    @Override
    public void sync() throws IOException {
        files.sync();
    }

    @Override
    public Optional<byte[]> get(ChunkHash hash) throws IOException {
        return files.get(hash);
    }

    /** Deletes the catalog row, then the file. */
    @Override
    public void delete(ChunkHash hash) throws IOException {
        try {
            QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                    .createQuery("delete from ChunkEntity c where c.hash = :h").setParameter("h", hash.bytes())
                    .executeUpdate());
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "delete chunk " + hash.shortString(), e);
        }
        files.delete(hash);
    }

    /**
     * Deletes the catalog rows of {@code hashes} in one transaction, then their files (see the
     * class comment for why in this order). For the garbage collector, under its {@link ChunkGuard}.
     */
    public void deleteAll(List<ChunkHash> hashes) throws IOException {
        List<byte[]> keys = hashes.stream().map(ChunkHash::bytes).toList();
        try {
            QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                    .createQuery("delete from ChunkEntity c where c.hash in :h").setParameter("h", keys)
                    .executeUpdate());
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "delete " + hashes.size() + " chunks", e);
        }
        for (ChunkHash h : hashes) {
            files.delete(h);
        }
    }

    /**
     * Calls {@code action} with the hash and length of every chunk stored before {@code cutoff}
     * (every chunk when it is null): a stream over the catalog, never all of it in memory.
     */
    public static void forEachRecordedBefore(java.time.Instant cutoff, java.util.function.ObjIntConsumer<ChunkHash> action) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                var q = Panache.getEntityManager().createQuery("select c.hash, c.length from ChunkEntity c"
                        + (cutoff == null ? "" : " where c.storedAt < :t"), Object[].class);
                if (cutoff != null) {
                    q.setParameter("t", cutoff);
                }
                try (java.util.stream.Stream<Object[]> rows = q.getResultStream()) {
                    rows.forEach(r -> action.accept(ChunkHash.of((byte[]) r[0]), (Integer) r[1]));
                }
            });
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "read the chunk catalog", e);
        }
    }

    @Override
    public void forEach(Consumer<ChunkHash> action) throws IOException {
        files.forEach(action);
    }

    @Override
    public long count() {
        return files.count();
    }

    @Override
    public long bytes() {
        return files.bytes();
    }

    /** The container closes the store at shutdown; callers must not. */
    @Override
    public void close() {
        // owned by the container (see stop())
    }
}
