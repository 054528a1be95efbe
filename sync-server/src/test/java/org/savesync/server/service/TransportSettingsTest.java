package org.savesync.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.savesync.core.transport.TransportConfig;

/** The hub's QUIC idle timeout and keep-alive keys become the transport's settings, or a start-up fault by name. */
class TransportSettingsTest {

    @Test
    void theConfiguredPairIsTheTransportsTuningWithThoseTimes() {
        TransportConfig t = HubService.transportConfig(Duration.ofMinutes(2), Duration.ofSeconds(10));

        assertThat(t.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.keepAliveInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(HubService.transportConfig(Duration.ofSeconds(30), Duration.ofSeconds(10)))
                .isEqualTo(TransportConfig.defaults());
    }

    @Test
    void aBadPairNamesTheKey() {
        assertThatThrownBy(() -> HubService.transportConfig(Duration.ofSeconds(10), Duration.ofSeconds(6)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("savesync.quic-keep-alive-interval must be 0s (off) or at most half of"
                        + " savesync.quic-idle-timeout (10s), got 6s; otherwise quiet connections time out between"
                        + " keep-alives");
        assertThatThrownBy(() -> HubService.transportConfig(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("savesync.quic-idle-timeout must be positive");
    }
}
