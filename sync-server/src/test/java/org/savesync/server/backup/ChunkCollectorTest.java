package org.savesync.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.ChunkGuard;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * The garbage collector against the running hub's chunk store and PostgreSQL: what no chunk
 * list names goes once it is older than the grace period; what a list names stays, complete or
 * not (a fetch in flight); and a list written while a collection runs keeps its chunks.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class ChunkCollectorTest {
    private static final Duration GRACE = Duration.ofHours(1);

    @Inject
    ChunkCollector collector;
    @Inject
    ChunkGuard guard;
    @Inject
    CatalogedChunkStore chunks;
    @Inject
    PgStores stores;

    private static int n;

    private ChunkRef chunk(String what) throws Exception {
        byte[] data = (what + " " + (++n) + " " + System.nanoTime()).repeat(50).getBytes(StandardCharsets.UTF_8);
        ChunkHash h = ChunkHash.compute(data);
        chunks.put(h, data);
        return new ChunkRef(data.length, h);
    }

    private PgIndexStore group() {
        GroupId g = TestGroups.create(stores, "gc", NodeKey.generate(), NodeKey.generate(), NodeKey.generate());
        return stores.open(g);
    }

    @Test
    void deletesWhatNoListNamesOnceItIsOlderThanTheGracePeriod() throws Exception {
        PgIndexStore store = group();
        ChunkRef named = chunk("named");
        ChunkRef inFlight = chunk("in flight");
        ChunkRef orphan = chunk("orphan");
        store.putChunkList(BlobId.of(List.of(named)), List.of(named));
        store.markComplete(BlobId.of(List.of(named)));
        store.putChunkList(BlobId.of(List.of(inFlight)), List.of(inFlight)); // a fetch in flight: not complete

        ChunkCollector.Collection young = collector.collect(Instant.now(), GRACE);
        assertThat(chunks.contains(orphan.hash())).isTrue();
        assertThat(young.candidates()).isZero();

        long before = chunks.count();
        ChunkCollector.Collection later = collector.collect(Instant.now().plus(GRACE).plusSeconds(60), GRACE);
        assertThat(chunks.contains(orphan.hash())).isFalse();
        assertThat(chunks.contains(named.hash())).isTrue();
        assertThat(chunks.contains(inFlight.hash())).isTrue();
        assertThat(later.deleted()).isGreaterThanOrEqualTo(1);
        assertThat(later.bytesFreed()).isGreaterThanOrEqualTo(orphan.length());
        assertThat(chunks.count()).isEqualTo(before - later.deleted());
        assertThat(CatalogedChunkStore.recordedLengths()).doesNotContainKey(orphan.hash())
                .containsKey(named.hash());
    }

    /**
     * A fetch that starts while a collection runs stores its chunk list (batched) before it asks
     * the store which chunks are there; the collection must not delete those chunks after that.
     */
    @Test
    void aChunkListWrittenDuringACollectionKeepsItsChunks() throws Exception {
        PgIndexStore store = group();
        ChunkRef reused = chunk("reused");
        ChunkRef other = chunk("other");
        guard.begin(); // as ChunkCollector.collect does, before it reads its mark
        try {
            store.putChunkListLater(BlobId.of(List.of(reused)), List.of(reused)).toCompletableFuture().join();
            List<ChunkHash> gone = guard.deleteUnlessListed(List.of(reused.hash(), other.hash()), chunks::deleteAll);
            assertThat(gone).containsExactly(other.hash());
        } finally {
            guard.end();
        }
        assertThat(chunks.contains(reused.hash())).isTrue();
        assertThat(chunks.contains(other.hash())).isFalse();
    }
}
