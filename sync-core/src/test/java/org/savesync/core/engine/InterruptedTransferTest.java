package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.Workloads;

/**
 * A 1 GiB transfer over QUIC is cut when the receiver has verified between 25% and 75% of
 * it (read from its status, not timed). No partial file is visible; after the receiver
 * restarts, the sender sends exactly the bytes that were not verified before the cut, and
 * that was a real saving.
 */
class InterruptedTransferTest {
    private static final long SIZE = 1L << 30;

    @TempDir
    Path tmp;

    @Test
    void resumesWithoutRefetchingVerifiedChunks() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        Files.createDirectories(a);
        Workloads.hardlinkOrCopy(Workloads.oneGiBFile(), a.resolve("one-gib.bin"));
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup()) {
            AtomicLong seen = new AtomicLong();
            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
                GroupHandle.Status s = c.handle(1).status();
                seen.set(s.bytesVerified());
                return s.bytesPending() == SIZE && s.bytesVerified() >= SIZE / 4;
            });
            c.stop(1);
            long verifiedBeforeCut = c.engines.get(1).stats().chunkBytesFetched.sum();
            assertThat(seen.get()).as("cut point").isBetween(SIZE / 4, SIZE * 3 / 4);
            assertThat(verifiedBeforeCut).as("verified before the cut").isPositive().isLessThan(SIZE);

            // No partial file in place: the folder holds nothing but the engine's temp area.
            try (Stream<Path> s = Files.list(b)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsOnly(".savesync");
            }
            // The sender has noticed the receiver left and finished what it was sending.
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> c.handle(0).status().peers() == 0);
            AtomicLong lastServed = new AtomicLong(-1);
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    lastServed.getAndSet(c.engines.get(0).stats().chunkBytesServed.sum())
                            == c.engines.get(0).stats().chunkBytesServed.sum());
            long servedBeforeRestart = c.engines.get(0).stats().chunkBytesServed.sum();

            c.start(1);
            Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                    c.handle(1).status().idle() && Files.exists(b.resolve("one-gib.bin"))
                            && Manifest.of(a).equals(Manifest.of(b)));
            long servedAfterRestart = c.engines.get(0).stats().chunkBytesServed.sum() - servedBeforeRestart;
            long resumed = c.engines.get(1).stats().chunkBytesResumed.sum();
            System.out.printf("interrupted-transfer verified_before_cut=%d resumed=%d sent_after_restart=%d%n",
                    verifiedBeforeCut, resumed, servedAfterRestart);
            assertThat(resumed).isEqualTo(verifiedBeforeCut);
            assertThat(servedAfterRestart).isEqualTo(SIZE - verifiedBeforeCut);
        }
    }
}
