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
import org.savesync.core.transport.HeldMemory;
import org.savesync.core.transport.RogueConnection;

/**
 * Back-pressure when serving, over real QUIC: a rogue member asks for 5,000 chunks and never
 * reads an answer (its flow-control windows are tiny and it stops reading). The server keeps at
 * most {@link ServeBudget#MAX_IN_FLIGHT_PER_PEER} answers of that peer in memory, queues a bounded
 * number of requests and drops (and counts) the rest, while an honest member still syncs a file.
 *
 * <p>The bound is checked on what the server holds ({@link HeldMemory}), not only on the budget's
 * own counters: without the budget every request is read and queued for sending at once
 * (5,000 x 20 kB, once as the chunk read and once as the frame waiting for the rogue's window),
 * about 300 MB (measured), far past {@link #MEMORY_BOUND}.
 */
class RogueServeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int REQUESTS = 5_000;
    private static final int CHUNK = 20_000;
    /**
     * What the flood may make the cluster hold beyond the start: 32 MiB. The budget allows
     * {@link ServeBudget#MAX_IN_FLIGHT_PER_PEER} answers of 20 kB and
     * {@link ServeBudget#MAX_QUEUED_PER_PEER} requests of about 100 bytes; the rest is the noise
     * of two running engines, among them the honest sync of a 3 MiB file, which holds its chunks
     * a few times over while they travel (about 10 MiB measured in a fresh JVM).
     */
    private static final long MEMORY_BOUND = 32L * 1024 * 1024;

    @TempDir
    Path tmp;
    private long peakGrowth;

    @Test
    void aPeerThatNeverReadsGetsABoundedShareAndOthersStillSync() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup()) {
            SyncEngine server = c.engines.get(0);
            byte[] small = new byte[CHUNK];
            new Random(3).nextBytes(small);
            Files.write(c.folders.get(0).resolve("small.bin"), small);
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(c.folders.get(1).resolve("small.bin")));

            try (RogueMember rogue = RogueMember.join(server.invite(c.group, Duration.ofHours(1), true),
                    org.savesync.core.identity.NodeKey.generate(), 16 * 1024)) {
                RogueConnection link = rogue.link(server.listenAddresses().getFirst());
                link.stopReading();
                long before = HeldMemory.bytes();
                ChunkHash h = ChunkHash.compute(small);
                for (int i = 1; i <= REQUESTS; i++) {
                    link.send(new Message.ChunkRequest(i, c.group, h));
                }
                int mustDrop = REQUESTS - ServeBudget.MAX_IN_FLIGHT_PER_PEER - ServeBudget.MAX_QUEUED_PER_PEER - 16;
                awaitWithinMemoryBound(before, "while the server takes the 5,000 requests",
                        () -> server.stats().refusals(Refusal.SERVE_QUEUE_FULL) >= mustDrop);

                // An honest member still syncs a file meanwhile.
                byte[] big = new byte[3 * 1024 * 1024 + 1];
                new Random(4).nextBytes(big);
                Files.write(c.folders.get(0).resolve("big.bin"), big);
                c.handle(0).scan().get(30, TimeUnit.SECONDS);
                Awaitility.await().atMost(WAIT).ignoreExceptions().until(() ->
                        java.util.Arrays.equals(Files.readAllBytes(c.folders.get(1).resolve("big.bin")), big));

                assertWithinMemoryBound(before, "after the honest member synced");
                assertThat(link.isOpen()).as("the rogue's link is held back, not closed: %s", link.closeDescription())
                        .isTrue();
                assertThat(server.stats().chunkServesInFlightPeak.get())
                        .as("chunk answers held at once for one peer").isLessThanOrEqualTo(ServeBudget.MAX_IN_FLIGHT_PER_PEER);
                assertThat(server.stats().refusals(Refusal.SERVE_QUEUE_FULL)).isGreaterThanOrEqualTo(mustDrop);
                System.out.printf("rogue serve: peak held beyond the start %.1f MiB (bound %d MiB), %d requests dropped%n",
                        peakGrowth / 1048576.0, MEMORY_BOUND >> 20, server.stats().refusals(Refusal.SERVE_QUEUE_FULL));
            }
        }
    }

    /** Waits for {@code done}, failing as soon as what the cluster holds passes the bound. */
    private void awaitWithinMemoryBound(long before, String phase, java.util.function.BooleanSupplier done) {
        Awaitility.await(phase).atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertWithinMemoryBound(before, phase); // an AssertionError ends the wait at once
            return done.getAsBoolean();
        });
        assertWithinMemoryBound(before, phase);
    }

    private void assertWithinMemoryBound(long before, String phase) {
        long grown = HeldMemory.bytes() - before;
        peakGrowth = Math.max(peakGrowth, grown);
        assertThat(grown).as("%s: bytes held beyond the start (retained heap + pooled direct;"
                + " bound %d MiB)", phase, MEMORY_BOUND >> 20).isLessThan(MEMORY_BOUND);
    }
}
