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
import org.savesync.core.stats.EngineStats.Refusal;

/**
 * The hub's own chunk store failing (a full disk) is the hub's fault, not the member's: over
 * real QUIC, while every put fails the hub refuses no chunk as bad and blames no peer; once
 * the store takes chunks again, the hub fetches the blob it had set aside and holds it.
 */
class HubStoreFailureTest {
    @TempDir
    Path tmp;

    /** How long the hub sets the blob aside: short, so the test waits for the retry, not the 30 s default. */
    private static final Duration STALL_RETRY = Duration.ofSeconds(2);

    @Test
    void aFullStoreBlamesNoPeerAndTheBlobIsFetchedOnceItHasRoomAgain() throws Exception {
        try (HubAndAgents c = new HubAndAgents(tmp, 1, STALL_RETRY)) {
            c.chunks.full(true);
            byte[] data = new byte[3 * 1024 * 1024];
            new Random(7).nextBytes(data);
            Files.write(c.folders.getFirst().resolve("big.bin"), data);
            c.handle(c.agents.getFirst()).scan().get(60, TimeUnit.SECONDS);

            Awaitility.await("the hub tried to store a chunk of big.bin").atMost(HubAndAgents.WAIT)
                    .until(() -> c.chunks.refusedPuts() > 0);
            Awaitility.await("the hub set the blob aside").atMost(HubAndAgents.WAIT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> c.hub.stats().refusals(Refusal.BAD_CHUNK) > 0 || stalled(c) > 0);
            assertThat(c.hub.stats().refusals(Refusal.BAD_CHUNK))
                    .as("chunks refused as bad because the hub's own store failed").isZero();

            c.chunks.full(false);
            // Set aside for STALL_RETRY, then fetched again: one agent, so no change of peers brings it back.
            Awaitility.await("the hub holds big.bin once its store has room").atMost(HubAndAgents.WAIT)
                    .until(c::hubHoldsEveryBlob);
            assertThat(c.hub.stats().refusals(Refusal.BAD_CHUNK)).isZero();
        }
    }

    /** Blobs the hub has set aside; read off the engine thread, as a test may (a plain int). */
    private static int stalled(HubAndAgents c) {
        GroupReplica r = c.hub.replica(c.group);
        return r == null ? 0 : r.stored.stalledCount();
    }
}
