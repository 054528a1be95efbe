package org.savesync.core.testsupport;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunkstore.ChunkStore;

/** A chunk store in memory, for engine tests; survives an engine restart when the test keeps it. */
public final class MemoryChunkStore implements ChunkStore {
    private final ConcurrentHashMap<ChunkHash, byte[]> chunks = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong refusedPuts = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public boolean contains(ChunkHash hash) {
        return chunks.containsKey(hash);
    }

    @Override
    public void put(ChunkHash hash, byte[] data) throws java.io.IOException {
        if (full.get()) {
            refusedPuts.incrementAndGet();
            throw new java.io.IOException("No space left on device");
        }
        chunks.putIfAbsent(hash, data.clone());
    }

    /** Puts whose {@link #putAsync} stage is held back (like rows waiting for their batch to commit). */
    private final java.util.List<java.util.concurrent.CompletableFuture<Void>> held = new java.util.ArrayList<>();
    private boolean holding;
    private int mostHeld;

    /**
     * Stores the bytes now; while {@link #hold} is on, the stage completes only at
     * {@link #release} or fails at {@link #failHeld}, as a batched commit would.
     */
    @Override
    public java.util.concurrent.CompletionStage<Void> putAsync(ChunkHash hash, byte[] data) throws java.io.IOException {
        put(hash, data);
        synchronized (held) {
            if (!holding) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            var f = new java.util.concurrent.CompletableFuture<Void>();
            held.add(f);
            mostHeld = Math.max(mostHeld, held.size());
            return f;
        }
    }

    /** From now on puts are not done until released (or failed). */
    public void hold() {
        synchronized (held) {
            holding = true;
        }
    }

    /** Puts waiting now. */
    public int heldCount() {
        synchronized (held) {
            return held.size();
        }
    }

    /** The most puts that waited at once. */
    public int mostHeld() {
        synchronized (held) {
            return mostHeld;
        }
    }

    /** Stops holding; every waiting put is done. */
    public void release() {
        finishHeld(null);
    }

    /** Stops holding; every waiting put fails with {@code failure} (its bytes stay stored, as a file without a row). */
    public void failHeld(RuntimeException failure) {
        finishHeld(failure);
    }

    private void finishHeld(RuntimeException failure) {
        java.util.List<java.util.concurrent.CompletableFuture<Void>> out;
        synchronized (held) {
            holding = false;
            out = java.util.List.copyOf(held);
            held.clear();
        }
        out.forEach(f -> {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        });
    }

    /** While on, every put fails as on a full disk. */
    public void full(boolean on) {
        full.set(on);
    }

    /** Puts refused while {@link #full} was on. */
    public long refusedPuts() {
        return refusedPuts.get();
    }

    @Override
    public void sync() {
    }

    @Override
    public Optional<byte[]> get(ChunkHash hash) {
        byte[] b = chunks.get(hash);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    @Override
    public void delete(ChunkHash hash) {
        chunks.remove(hash);
    }

    @Override
    public void forEach(Consumer<ChunkHash> action) {
        chunks.keySet().forEach(action);
    }

    @Override
    public long count() {
        return chunks.size();
    }

    @Override
    public long bytes() {
        return chunks.values().stream().mapToLong(b -> b.length).sum();
    }

    /** Overwrites a stored chunk with other bytes, as disk damage would. */
    public void damage(ChunkHash hash) {
        chunks.computeIfPresent(hash, (h, b) -> {
            byte[] c = b.clone();
            c[0] ^= 1;
            return c;
        });
    }

    @Override
    public void close() {
    }
}
