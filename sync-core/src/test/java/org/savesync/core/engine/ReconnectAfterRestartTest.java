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
 * Issue 9, section 5: after the hub (here: the group's creator) is killed and started again on
 * the same key and port, its peers were stuck on their connections to the dead instance until
 * the QUIC idle timeout. Now the restarted node dials its known members, its transport hello
 * carries a new instance id, and the peer drops every connection to the old instance at once
 * ({@code closedPeerRestarted}), so the link is back and syncs without waiting for any timeout.
 */
class ReconnectAfterRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aRestartedNodeIsReconnectedByItsNewInstanceNotByTheIdleTimeout() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup()) {
            Path a = c.folders.get(0);
            Path b = c.folders.get(1);
            write(c, 0, a.resolve("before.txt"), "before the crash");
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(b.resolve("before.txt")));
            assertThat(c.networks.get(1).transportStats().closedPeerRestarted()).isZero();
            long linksBefore = c.networks.get(1).transportStats().connectionsInbound()
                    + c.networks.get(1).transportStats().connectionsOutbound();

            c.crash(0); // node 1 hears no CONNECTION_CLOSE: its links to node 0 stay open
            assertThat(c.handle(1).status().peers()).as("node 1 has not noticed the crash").isGreaterThanOrEqualTo(1);
            c.start(0);

            // The stale connections are dropped because the new instance connected, not by an idle timeout.
            Awaitility.await().atMost(WAIT).until(() -> c.networks.get(1).transportStats().closedPeerRestarted() >= 1);
            write(c, 0, a.resolve("after.txt"), "after the restart");
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(b.resolve("after.txt"))
                    && Files.readString(b.resolve("after.txt")).equals("after the restart"));
            write(c, 1, b.resolve("from-b.txt"), "back to the restarted node");
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(a.resolve("from-b.txt")));
            assertThat(c.networks.get(1).transportStats().connectionsInbound()
                    + c.networks.get(1).transportStats().connectionsOutbound()).isGreaterThan(linksBefore);
        }
    }

    private static void write(QuicCluster c, int node, Path file, String text) throws Exception {
        c.handle(node).withFolderLock(() -> {
            Files.writeString(file, text);
            return null;
        });
        c.handle(node).scan().get(60, TimeUnit.SECONDS);
    }
}
