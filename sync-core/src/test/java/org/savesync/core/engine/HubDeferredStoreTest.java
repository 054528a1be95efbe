package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats.Refusal;

/**
 * A chunk store whose puts become durable later ({@code ChunkStore.putAsync}, as the hub's
 * catalog rows wait for their batch to commit), over real QUIC: the hub counts a chunk as
 * stored, and a blob as complete, only once the store says it is; the chunks waiting hold their
 * request slots, so no more than the group's budget waits; a batch that fails blames no peer
 * and its blob is fetched again.
 */
class HubDeferredStoreTest {
    @TempDir
    Path tmp;

    /** How long the hub sets a blob aside: short, so the test waits for the retry, not the 30 s default. */
    private static final Duration STALL_RETRY = Duration.ofSeconds(2);

    /** Requests one blob may have out (within the group's budget). */
    private static final int IN_FLIGHT = Math.min(Protocol.MAX_CHUNK_REQUESTS_IN_FLIGHT,
            Protocol.MAX_CHUNK_REQUESTS_PER_GROUP);

    private static int entriesAtHub(HubAndAgents c) {
        var idx = c.hubStores.open(c.group);
        return idx.paths().size();
    }

    @Test
    void nothingCountsAsStoredBeforeTheStoreSaysSoAndWhatWaitsIsBounded() throws Exception {
        try (HubAndAgents c = new HubAndAgents(tmp, 1)) {
            c.chunks.hold();
            byte[] data = new byte[48 * 1024 * 1024]; // ~190 chunks: more than the group's request budget
            new Random(11).nextBytes(data);
            Files.write(c.folders.getFirst().resolve("big.bin"), data);
            c.handle(c.agents.getFirst()).scan().get(60, TimeUnit.SECONDS);

            Awaitility.await("the hub got the entry and stored chunks that wait for their commit")
                    .atMost(HubAndAgents.WAIT)
                    .until(() -> entriesAtHub(c) == 1 && c.chunks.heldCount() >= IN_FLIGHT);
            // Every request the blob may have out now waits for a commit: nothing more is asked for.
            // For half a second, in which a wrong implementation would go on fetching, no more is held.
            Awaitility.await("no chunk is asked for beyond the requests waiting for a commit")
                    .during(Duration.ofMillis(500)).atMost(HubAndAgents.WAIT)
                    .until(() -> c.chunks.mostHeld() == IN_FLIGHT);
            assertThat(c.chunks.mostHeld()).as("chunks waiting for their commit at once").isEqualTo(IN_FLIGHT);
            assertThat(c.hubHoldsEveryBlob()).as("the hub holds big.bin before its chunks are durable").isFalse();
            assertThat(c.hub.stats().chunkBytesFetched.sum()).as("bytes counted as fetched before durable").isZero();

            c.chunks.release();
            Awaitility.await("the hub holds big.bin once its chunks are durable").atMost(HubAndAgents.WAIT)
                    .until(c::hubHoldsEveryBlob);
            assertThat(c.hub.stats().refusals(Refusal.BAD_CHUNK)).isZero();
        }
    }

    @Test
    void aFailedBatchBlamesNoPeerAndItsChunksAreFetchedAgain() throws Exception {
        try (HubAndAgents c = new HubAndAgents(tmp, 1, STALL_RETRY)) {
            c.chunks.hold();
            byte[] data = new byte[3 * 1024 * 1024];
            new Random(12).nextBytes(data);
            Files.write(c.folders.getFirst().resolve("mid.bin"), data);
            c.handle(c.agents.getFirst()).scan().get(60, TimeUnit.SECONDS);

            Awaitility.await("chunks wait for their commit").atMost(HubAndAgents.WAIT)
                    .until(() -> entriesAtHub(c) == 1 && c.chunks.heldCount() > 0);
            long putsBefore = c.chunks.count();
            c.chunks.failHeld(new IllegalStateException("the batch's transaction failed (planted)"));

            // Counted, not polled: a change of links (a bulk lane coming up) may bring the blob back
            // from the side at once, quicker than any poll.
            Awaitility.await("the hub set the blob aside").atMost(HubAndAgents.WAIT)
                    .until(() -> c.hub.stats().blobsSetAside.sum() > 0);
            // Set aside for STALL_RETRY, then fetched again: one agent, so no change of peers brings it back.
            Awaitility.await("the hub holds mid.bin after fetching it again").atMost(HubAndAgents.WAIT)
                    .until(c::hubHoldsEveryBlob);
            assertThat(c.hub.stats().refusals(Refusal.BAD_CHUNK)).as("chunks refused as bad").isZero();
            assertThat(putsBefore).isPositive();
        }
    }
}
