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
