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
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.protocol.Message;
import org.savesync.core.transfer.ServeBudget;
import org.savesync.core.transport.RogueConnection;

/**
 * Back-pressure when serving, over real QUIC: a rogue member asks for 5,000 chunks and never
 * reads an answer (its flow-control windows are tiny and it stops reading). The server keeps at
 * most {@link ServeBudget#MAX_IN_FLIGHT_PER_PEER} answers of that peer in memory, queues a bounded
 * number of requests and drops (and counts) the rest, while an honest member still syncs a file.
 */
class RogueServeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REQUESTS = 5_000;

    @TempDir
    Path tmp;

    @Test
    void aPeerThatNeverReadsGetsABoundedShareAndOthersStillSync() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup()) {
            SyncEngine server = c.engines.get(0);
            byte[] small = new byte[20_000];
            new Random(3).nextBytes(small);
            Files.write(c.folders.get(0).resolve("small.bin"), small);
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(c.folders.get(1).resolve("small.bin")));

            try (RogueMember rogue = RogueMember.join(server.invite(c.group, Duration.ofHours(1), true),
                    org.savesync.core.identity.NodeKey.generate(), 16 * 1024)) {
                RogueConnection link = rogue.link(server.listenAddresses().getFirst());
                link.stopReading();
                ChunkHash h = ChunkHash.compute(small);
                for (int i = 1; i <= REQUESTS; i++) {
                    link.send(new Message.ChunkRequest(i, c.group, h));
                }
                int mustDrop = REQUESTS - ServeBudget.MAX_IN_FLIGHT_PER_PEER - ServeBudget.MAX_QUEUED_PER_PEER - 16;
                Awaitility.await().atMost(WAIT).until(() -> server.stats().refusals(Refusal.SERVE_QUEUE_FULL) >= mustDrop);

                // An honest member still syncs a file meanwhile.
                byte[] big = new byte[3 * 1024 * 1024 + 1];
                new Random(4).nextBytes(big);
                Files.write(c.folders.get(0).resolve("big.bin"), big);
                c.handle(0).scan().get(30, TimeUnit.SECONDS);
                Awaitility.await().atMost(WAIT).ignoreExceptions().until(() ->
                        java.util.Arrays.equals(Files.readAllBytes(c.folders.get(1).resolve("big.bin")), big));

                assertThat(server.stats().chunkServesInFlightPeak.get())
                        .as("chunk answers held at once for one peer").isLessThanOrEqualTo(ServeBudget.MAX_IN_FLIGHT_PER_PEER);
                assertThat(server.stats().refusals(Refusal.SERVE_QUEUE_FULL)).isGreaterThanOrEqualTo(mustDrop);
            }
        }
    }
}
