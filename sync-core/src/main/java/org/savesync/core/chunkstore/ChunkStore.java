package org.savesync.core.chunkstore;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.savesync.core.chunking.ChunkHash;

/**
 * A content-addressed store of chunk bytes, named by their SHA-256 ({@link ChunkHash}).
 * Callers verify bytes before {@link #put} and after {@link #get}: the store only keeps them.
 * Implementations are thread-safe; the engine calls them from its I/O threads.
 *
 * <p>Atomicity: a crash (a {@code kill -9}) during {@code put} leaves either the whole chunk
 * or nothing under its name, never a truncated one. Durability against power loss is
 * {@link #sync}'s job: every chunk put before it returns survives, so a replica calls it
 * before recording a blob as complete (one directory sync for many chunks).
 */
public interface ChunkStore extends AutoCloseable {

    boolean contains(ChunkHash hash) throws IOException;

    /** Stores {@code data} under {@code hash} durably and atomically; a no-op when it is already there. */
    void put(ChunkHash hash, byte[] data) throws IOException;

    /**
     * Stores like {@link #put}, but the chunk may be written, and count as stored, later: the
     * stage completes once it does (for the hub, once the file is fsynced and the chunk's catalog
     * row committed, with other chunks in one transaction), or fails with what went wrong. The
     * store holds {@code data} until it is written; the caller must not change it. The default
     * is {@link #put}, complete on return.
     *
     * @throws IOException when the chunk cannot even be taken (the stage is then never made)
     */
    default CompletionStage<Void> putAsync(ChunkHash hash, byte[] data) throws IOException {
        put(hash, data);
        return CompletableFuture.completedFuture(null);
    }

    /** Makes every chunk put so far survive a power loss (fsyncs what {@link #put} left pending). */
    void sync() throws IOException;

    /** The stored bytes as they are on disk (not verified here), or empty when the chunk is absent. */
    Optional<byte[]> get(ChunkHash hash) throws IOException;

    /** Removes a chunk (retention, or a corrupt copy found by a check); a no-op when absent. */
    void delete(ChunkHash hash) throws IOException;

    /** Calls {@code action} with every stored chunk's hash, in no particular order. */
    void forEach(Consumer<ChunkHash> action) throws IOException;

    /** Chunks stored now. */
    long count();

    /** Bytes of chunk data stored now (not counting file-system overhead). */
    long bytes();

    @Override
    void close();
}
