package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;

/**
 * Many files at once share one budget of chunk requests per group: the receiver keeps several
 * transfers going (more than one transfer's own limit is in flight) but never asks for more
 * than {@link Protocol#MAX_CHUNK_REQUESTS_PER_GROUP} chunks at a time, and everything arrives.
 */
class ChunkRequestBudgetTest {
    @TempDir
    Path tmp;

    @Test
    void aThousandFilesNeverHaveMoreThanTheGroupBudgetInFlight() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        TreeBuilder t = TreeBuilder.at(a);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            t.randomFile("d" + i % 10 + "/f" + i + ".bin", 70_000 + rnd.nextInt(200_000), rnd.nextLong());
        }
        try (SimCluster c = new SimCluster(tmp, 2, 11, SimCluster.fastConfig("budget")).formGroup()) {
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                    c.handle(1).status().idle() && Manifest.of(a).equals(Manifest.of(b)));
            Manifest.assertSame(Manifest.of(a), Manifest.of(b));
            long peak = c.engines.get(1).stats().chunkRequestsPeak.get();
            assertThat(peak).as("chunk requests B had outstanding at once")
                    .isLessThanOrEqualTo(Protocol.MAX_CHUNK_REQUESTS_PER_GROUP)
                    .isGreaterThan(Protocol.MAX_CHUNK_REQUESTS_IN_FLIGHT);
        }
    }
}
