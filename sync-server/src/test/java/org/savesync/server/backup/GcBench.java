package org.savesync.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * Not a test: the garbage collector's time for {@code bench.gc.chunks} (default
 * 100,000) unreferenced chunks of 4 KiB beside 10,000 referenced ones, on the hub's real chunk
 * store and embedded PostgreSQL. Run by {@code bench/run-gc.sh}; skipped unless
 * {@code -Dbench.gc=true}. Prints one {@code gc-bench} line.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
@EnabledIfSystemProperty(named = "bench.gc", matches = "true")
class GcBench {
    private static final int KEPT = 10_000;
    private static final int SIZE = 4096;

    @Inject
    ChunkCollector collector;
    @Inject
    CatalogedChunkStore chunks;
    @Inject
    PgStores stores;

    @Test
    void collect() throws Exception {
        int garbage = Integer.getInteger("bench.gc.chunks", 100_000);
        Random random = new Random(42);
        long seedStart = System.nanoTime();
        List<ChunkRef> kept = put(KEPT, random);
        put(garbage, random);
        double seedS = (System.nanoTime() - seedStart) / 1e9;
        GroupId g = TestGroups.create(stores, "gc-bench", NodeKey.generate(), NodeKey.generate(), NodeKey.generate());
        PgIndexStore store = stores.open(g);
        for (int i = 0; i < kept.size(); i += 100) { // blobs of 100 chunks each
            List<ChunkRef> list = kept.subList(i, Math.min(i + 100, kept.size()));
            store.putChunkList(BlobId.of(list), list);
            store.markComplete(BlobId.of(list));
        }
        long before = chunks.count();
        ChunkCollector.Collection c = collector.collect(Instant.now().plusSeconds(3600), Duration.ZERO);
        assertThat(c.deleted()).isGreaterThanOrEqualTo(garbage);
        assertThat(chunks.count()).isEqualTo(before - c.deleted());
        ChunkCollector.Collection idle = collector.collect(Instant.now().plusSeconds(3600), Duration.ZERO);
        System.out.printf("gc-bench: chunks=%d deleted=%d kept_named=%d seconds=%.2f chunks_per_s=%.0f"
                        + " idle_collection_ms=%d seeding_s=%.1f%n", before, c.deleted(), c.named(),
                c.took().toMillis() / 1000.0, c.deleted() / (c.took().toMillis() / 1000.0), idle.took().toMillis(),
                seedS);
    }

    /** Puts n random chunks of SIZE bytes (in parallel, as the engine does); returns them. */
    private List<ChunkRef> put(int n, Random random) throws Exception {
        List<ChunkRef> out = new ArrayList<>(n);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[SIZE];
            random.nextBytes(data);
            ChunkHash h = ChunkHash.compute(data);
            pending.add(chunks.putAsync(h, data).toCompletableFuture());
            out.add(new ChunkRef(SIZE, h));
            if (pending.size() >= 1024) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
            }
        }
        pending.forEach(CompletableFuture::join);
        return out;
    }
}
