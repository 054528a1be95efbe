package org.savesync.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats;

/** A peer speaking another protocol version is told so, counted, and disconnected. */
class HelloTest {
    @TempDir
    Path tmp;

    @Test
    void anUnknownVersionIsRefused() {
        try (SimCluster c = new SimCluster(tmp, 2, 3, SimCluster.fastConfig("hello")).formGroup()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.handle(0).status().peers() == 1);
            SyncEngine victim = c.engines.get(0);
            c.net.inject(c.keys.get(1).nodeId(), victim.nodeId(),
                    new Message.Hello(Protocol.MAGIC, Protocol.VERSION + 1, "future", List.of()));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> victim.stats().refusals(EngineStats.Refusal.BAD_HELLO) == 1);
            c.net.inject(c.keys.get(1).nodeId(), victim.nodeId(),
                    new Message.Hello(0x12345678, Protocol.VERSION, "stranger", List.of()));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> victim.stats().refusals(EngineStats.Refusal.BAD_HELLO) == 2);
            // The member redials; the group keeps working over the new link.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.handle(0).status().peers() == 1);
        }
    }
}
