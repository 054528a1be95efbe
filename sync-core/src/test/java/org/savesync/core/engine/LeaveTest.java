package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leaving a group over real QUIC: the authority takes the member off and every member sees it. */
class LeaveTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aMemberThatLeavesIsTakenOffEveryonesList() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 3).formGroup()) {
            SyncEngine b = c.engines.get(1);
            assertThatThrownBy(() -> c.engines.get(0).leaveGroup(c.group).join())
                    .hasMessageContaining("cannot leave");
            b.leaveGroup(c.group).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(c.handle(0).members().isMember(b.nodeId())).as("the authority dropped B").isFalse();
            Awaitility.await("C drops B").atMost(TIMEOUT)
                    .until(() -> !c.handle(2).members().isMember(b.nodeId()));
            assertThat(c.engines.get(0).config().leaves().all()).isEmpty();
            assertThat(b.config().leaves().all()).as("B's leave was answered, so it is forgotten").isEmpty();
            assertThat(b.group(c.group)).isEmpty();
        }
    }
}
