// PLACEHOLDER: replaced by the persistence branch
package org.savesync.server.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunkstore.ChunkStore;

/** The hub's chunk store. Placeholder: in memory, forgotten at exit. */
@ApplicationScoped
public class CatalogedChunkStore implements ChunkStore {
    private final Map<ChunkHash, byte[]> chunks = new ConcurrentHashMap<>();

    @Override
    public boolean contains(ChunkHash hash) {
        return chunks.containsKey(hash);
    }

    @Override
    public void put(ChunkHash hash, byte[] data) {
        chunks.putIfAbsent(hash, data.clone());
    }

    @Override
    public void sync() {
        // nothing to make durable in memory
    }

    @Override
    public Optional<byte[]> get(ChunkHash hash) {
        return Optional.ofNullable(chunks.get(hash)).map(byte[]::clone);
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

    @Override
    public void close() {
        // nothing to release
    }
}
