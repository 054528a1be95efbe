package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;

/**
 * Issue 11 (the small-file stalls): two nodes that both dial each other have two links, and two
 * QUIC connections do not keep each other's order. The sender's entry batches must all go over
 * one link: when they went over whichever link the last knowledge report came on, a batch on the
 * quicker link overtook the one before it, the receiver dropped it as a gap, and the exchange
 * stood still until the batches counted as lost (5 s by default).
 *
 * <p>Here node 0's messages take 150 ms on the link it dialled and none on the other, and node
 * 1's reports come back on both links with random lags of up to 60 ms (each link in order), so
 * which link a report arrives on first changes from batch to batch.
 */
class EntryBatchOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int FILES = 8 * Protocol.MAX_ENTRIES_PER_BATCH;

    @TempDir
    Path tmp;

    @Test
    void batchesToAPeerWithTwoLinksArriveInOrder() throws Exception {
        // Batches count as lost after 2 s, well past the lags here: a gap costs a 2 s wait, and no
        // batch is sent again while it is only slow.
        EngineConfig config = EngineConfig.defaults("order").withTimings(Duration.ofSeconds(2), Duration.ofSeconds(2));
        try (SimCluster c = new SimCluster(tmp, 2, 21, config).formGroup()) {
            NodeId sender = c.keys.get(0).nodeId();
            Random jitter = new Random(21);
            c.net.setLag((from, to, dialledByFrom, m) -> {
                if (from.equals(sender)) {
                    return dialledByFrom ? 150 : 0;
                }
                synchronized (jitter) {
                    return jitter.nextInt(61);
                }
            });
            Path a = c.folders.get(0);
            Path b = c.folders.get(1);
            Path dir = Files.createDirectories(a.resolve("many"));
            for (int i = 0; i < FILES; i++) {
                Files.createFile(dir.resolve("f" + i + ".txt")); // empty: no content to fetch, only entries
            }
            c.handle(0).scan().get(120, TimeUnit.SECONDS);
            long mark = c.handle(0).knowledge().get(sender);
            assertThat(mark).as("entries of the sender").isGreaterThanOrEqualTo(FILES);

            Awaitility.await("node 1 knows every entry of node 0").atMost(WAIT)
                    .until(() -> c.handle(1).knowledge().get(sender) == mark);
            Awaitility.await("node 1 has every file").atMost(WAIT)
                    .until(() -> Files.exists(b.resolve("many").resolve("f" + (FILES - 1) + ".txt")));
            assertThat(c.engines.get(1).stats().entryBatchesOutOfOrder.sum())
                    .as("batches node 1 dropped because they overtook the one before them").isZero();
        }
    }

    /**
     * The link the batches go over stays open but delivers nothing more (from its first batch on,
     * node 0's messages on it wait an hour): once the window counts as lost, the batches go over
     * the other link.
     */
    @Test
    void batchesLeaveALinkThatStopsDelivering() throws Exception {
        EngineConfig config = EngineConfig.defaults("stuck").withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2));
        try (SimCluster c = new SimCluster(tmp, 2, 22, config).formGroup()) {
            NodeId sender = c.keys.get(0).nodeId();
            AtomicReference<Boolean> stuck = new AtomicReference<>(); // which link: dialled by node 0 or not
            c.net.setLag((from, to, dialledByFrom, m) -> {
                if (!from.equals(sender)) {
                    return 0;
                }
                if (m instanceof Message.EntryBatch) {
                    stuck.compareAndSet(null, dialledByFrom);
                }
                return Boolean.valueOf(dialledByFrom).equals(stuck.get()) ? 3_600_000 : 0;
            });
            Path dir = Files.createDirectories(c.folders.get(0).resolve("many"));
            for (int i = 0; i < 2 * Protocol.MAX_ENTRIES_PER_BATCH; i++) {
                Files.createFile(dir.resolve("f" + i + ".txt"));
            }
            c.handle(0).scan().get(120, TimeUnit.SECONDS);
            long mark = c.handle(0).knowledge().get(sender);
            Awaitility.await("node 1 knows every entry of node 0 over the other link").atMost(WAIT)
                    .until(() -> c.handle(1).knowledge().get(sender) == mark);
            assertThat(stuck.get()).as("a link stopped delivering").isNotNull();
        }
    }
}
