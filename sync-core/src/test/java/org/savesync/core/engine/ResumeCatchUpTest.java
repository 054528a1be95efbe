package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: {@link SyncEngine#resume} starts a node without its first scan, so that the agent
 * is up before it walks its folders; {@link SyncEngine#catchUp} then finds what changed while
 * the node was down and its peers get it. {@link SyncEngine#start} still does both.
 */
class ResumeCatchUpTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aChangeMadeWhileDownIsFoundByTheCatchUpAfterAResume() throws Exception {
        try (SimCluster c = new SimCluster(tmp, 2, 11, SimCluster.fastConfig("resume")).formGroup()) {
            Path a = c.folders.get(0);
            Path b = c.folders.get(1);
            Files.writeString(a.resolve("before.txt"), "before the stop");
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(b.resolve("before.txt")));

            c.engines.get(0).close();
            Files.writeString(a.resolve("while-down.txt"), "written while node 0 was down");
            Files.writeString(a.resolve("before.txt"), "edited while node 0 was down");
            SyncEngine resumed = SyncEngine.resume(c.keys.get(0), c.net.endpoint(c.keys.get(0).nodeId()),
                    c.stores.get(0), c.config);
            c.engines.set(0, resumed);
            assertThat(resumed.stats().bytesHashed.sum()).as("a resumed node has not scanned yet").isZero();

            resumed.catchUp().get(60, TimeUnit.SECONDS);
            assertThat(resumed.stats().bytesHashed.sum()).as("the catch-up hashed the two changed files")
                    .isEqualTo(Files.size(a.resolve("while-down.txt")) + Files.size(a.resolve("before.txt")));
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(b.resolve("while-down.txt"))
                    && Files.readString(b.resolve("before.txt")).equals("edited while node 0 was down"));
            assertThat(Files.readString(b.resolve("while-down.txt"))).isEqualTo("written while node 0 was down");

            long hashed = resumed.stats().bytesHashed.sum();
            resumed.catchUp().get(60, TimeUnit.SECONDS);
            assertThat(resumed.stats().bytesHashed.sum()).as("a second catch-up is no second first pass")
                    .isEqualTo(hashed);
        }
    }

    @Test
    void startStillScansAResumedGroup() throws Exception {
        try (SimCluster c = new SimCluster(tmp, 2, 12, SimCluster.fastConfig("start")).formGroup()) {
            Path a = c.folders.get(0);
            Path b = c.folders.get(1);
            c.engines.get(0).close();
            Files.writeString(a.resolve("while-down.txt"), "written while node 0 was down");
            c.restart(0);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(b.resolve("while-down.txt")));
        }
    }
}
