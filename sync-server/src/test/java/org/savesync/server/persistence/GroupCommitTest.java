package org.savesync.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.membership.GroupId;
import org.savesync.core.testsupport.Workloads;
import org.savesync.server.testing.ExternalPostgresProfile;
import org.savesync.server.testing.HubTestData;
import org.savesync.server.testing.RequiresExternalPostgres;

/**
 * {@link GroupCommit} against a real PostgreSQL: many chunk rows, chunk lists and completion
 * marks go into few transactions; nothing counts as written before its transaction committed;
 * a failed transaction fails every write in it and keeps none of them. Each test makes its own
 * committer and starts it only once the writes are queued, so which writes share a batch is
 * known.
 */
@QuarkusTest
@TestProfile(ExternalPostgresProfile.class)
@RequiresExternalPostgres
class GroupCommitTest {
    private Path dataDir;
    private GroupCommit commit;

    @BeforeEach
    void freshState() throws Exception {
        HubTestData.truncateTables();
        dataDir = Files.createTempDirectory("savesync-group-commit");
        commit = new GroupCommit(Duration.ofMillis(2));
    }

    @AfterEach
    void cleanUp() {
        commit.stop();
        Workloads.deleteTree(dataDir);
    }

    private CatalogedChunkStore openStore() {
        CatalogedChunkStore store = new CatalogedChunkStore(dataDir, commit);
        store.start();
        return store;
    }

    private static byte[] chunk(int i) {
        return ("chunk number " + i + " ").repeat(20).getBytes(StandardCharsets.UTF_8);
    }

    /** Puts chunks 0..n-1 from 4 threads, as the engine's I/O threads do; returns their stages (rows queue soon after). */
    private static List<CompletableFuture<Void>> putAll(CatalogedChunkStore store, int n) throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(4);
        try {
            List<Future<CompletionStage<Void>>> puts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] data = chunk(i);
                puts.add(io.submit(() -> store.putAsync(ChunkHash.compute(data), data)));
            }
            List<CompletableFuture<Void>> out = new ArrayList<>();
            for (var p : puts) {
                out.add(p.get().toCompletableFuture());
            }
            return out;
        } finally {
            io.shutdown();
        }
    }

    @Test
    void manyChunksGoIntoOneTransactionAndNoneCountsAsStoredBeforeItCommitted() throws Exception {
        CatalogedChunkStore store = openStore();
        List<CompletableFuture<Void>> stored = putAll(store, 300);
        Awaitility.await("the writer threads queued every row").atMost(Duration.ofSeconds(30))
                .until(() -> commit.queued() == 300);

        assertThat(stored).as("chunks reported stored before their rows are committed").noneMatch(f -> f.isDone());
        assertThat(CatalogedChunkStore.recordedLengths()).isEmpty();

        commit.start();
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get();
        assertThat(CatalogedChunkStore.recordedLengths()).hasSize(300);
        assertThat(commit.batches()).as("transactions for 300 chunk rows").isEqualTo(1);
        assertThat(commit.failedBatches()).isZero();
    }

    @Test
    void aFailedTransactionFailsEveryChunkInItAndTheirFilesAreRecordedAtTheNextStart() throws Exception {
        CatalogedChunkStore store = openStore();
        List<CompletableFuture<Void>> stored = putAll(store, 20);
        // A row the table refuses (CHECK length > 0) makes the whole transaction fail.
        CompletableFuture<Void> bad = commit.submit(new GroupCommit.ChunkRow(ChunkHash.compute(chunk(999)), 0));
        Awaitility.await("the writer threads queued every row").atMost(Duration.ofSeconds(30))
                .until(() -> commit.queued() == 21);

        commit.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> bad.isDone() && stored.stream().allMatch(f -> f.isDone()));
        assertThat(stored).as("chunks of the failed batch").allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(bad).isCompletedExceptionally();
        assertThat(commit.failedBatches()).isEqualTo(1);
        assertThat(CatalogedChunkStore.recordedLengths()).as("rows kept from the failed batch").isEmpty();

        // Their files stay, without rows, as after a crash between file and row: the next start records them.
        openStore();
        assertThat(CatalogedChunkStore.recordedLengths()).hasSize(20);
    }

    @Test
    void chunkListsAndCompletionMarksOfManyBlobsShareATransactionAndCountOnlyOnceCommitted() throws Exception {
        PgIndexStore index = new PgStores(commit).open(GroupId.random());
        List<BlobId> blobs = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] data = chunk(i);
            List<ChunkRef> list = List.of(new ChunkRef(data.length, ChunkHash.compute(data)));
            BlobId blob = BlobId.of(list);
            blobs.add(blob);
            done.add(index.putChunkListLater(blob, list).toCompletableFuture());
            done.add(index.completeLater(blob, list).toCompletableFuture());
        }
        assertThat(blobs).as("blobs complete before their mark is committed").noneMatch(index::isComplete);
        assertThat(index.completeBlobs()).isEmpty();

        commit.start();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        assertThat(blobs).allMatch(index::isComplete);
        assertThat(commit.batches()).as("transactions for 50 chunk lists and 50 marks").isEqualTo(1);

        PgIndexStore reopened = new PgStores(commit).open(index.group());
        assertThat(reopened.completeBlobs()).containsExactlyInAnyOrderElementsOf(blobs);
        assertThat(blobs).allMatch(b -> reopened.chunkList(b).isPresent());
    }
}
