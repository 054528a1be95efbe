package org.savesync.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.savesync.core.transport.TransportConfig;

/** The QUIC idle timeout and keep-alive keys: defaults, the environment, and what a bad pair says. */
class QuicSettingsTest {

    private static AgentConfig config(Map<String, String> env) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(AgentConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("savesync.data-dir", "target/x"), "test", 100))
                .withSources(new EnvConfigSource(env, 300)).build();
        return c.getConfigMapping(AgentConfig.class);
    }

    @Test
    void theDefaultsAreTheTransportsTuning() {
        TransportConfig t = QuicSettings.from(config(Map.of()));

        assertThat(t).isEqualTo(TransportConfig.defaults());
    }

    @Test
    void environmentVariablesSetBoth() {
        TransportConfig t = QuicSettings.from(config(Map.of("SAVESYNC_QUIC_IDLE_TIMEOUT", "2m",
                "SAVESYNC_QUIC_KEEP_ALIVE_INTERVAL", "20s")));

        assertThat(t.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.keepAliveInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(t.withIdleTimeout(Duration.ofSeconds(30), Duration.ofSeconds(10))).isEqualTo(TransportConfig.defaults());
    }

    @Test
    void theBulkLaneIsOnUnlessTurnedOff() {
        assertThat(QuicSettings.from(config(Map.of())).bulkLane()).isTrue();
        assertThat(QuicSettings.from(config(Map.of("SAVESYNC_BULK_LANE", "false"))).bulkLane()).isFalse();
    }

    @Test
    void aKeepAliveLongerThanHalfTheIdleTimeoutIsRefusedByName() {
        assertThatThrownBy(() -> QuicSettings.transport(Duration.ofSeconds(10), Duration.ofSeconds(6)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("savesync.quic-keep-alive-interval: must be 0s (off) or at most half of"
                        + " savesync.quic-idle-timeout (10s), got 6s; otherwise quiet connections time out between"
                        + " keep-alives");
        assertThatThrownBy(() -> QuicSettings.transport(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("savesync.quic-idle-timeout: must be positive (e.g. 30s), got 0s");
        assertThat(QuicSettings.transport(Duration.ofMillis(1500), Duration.ZERO).keepAliveInterval()).isZero();
    }
}
