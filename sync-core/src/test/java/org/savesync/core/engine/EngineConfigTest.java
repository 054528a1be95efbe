package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stall retry: 30 s unless set, kept by every other {@code with…}, and never zero or negative. */
class EngineConfigTest {
    @Test
    void theStallRetryIsThirtySecondsUnlessSetAndSurvivesOtherChanges() {
        assertThat(EngineConfig.defaults("n").stallRetry()).isEqualTo(Duration.ofSeconds(30));
        EngineConfig c = EngineConfig.defaults("n").withStallRetry(Duration.ofSeconds(2))
                .withTimings(Duration.ofMillis(500), Duration.ofSeconds(10)).withWallClock(() -> 0)
                .withRegistrations((node, group, token) -> { }).withReplicaListener(null);
        assertThat(c.stallRetry()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aStallRetryThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> EngineConfig.defaults("n").withStallRetry(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stallRetry");
        assertThatThrownBy(() -> EngineConfig.defaults("n").withStallRetry(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
