package org.savesync.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.transport.TransportConfig;

class HubConfigTest {
    private static HubConfig config(Map<String, String> env) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(HubConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("user.home", "/home/op"), "system", 400))
                .withSources(new EnvConfigSource(env, 300)).build();
        return c.getConfigMapping(HubConfig.class);
    }

    @Test
    void everyKeyHasADefaultAndTheyMatchTheProtocol() {
        HubConfig c = config(Map.of());
        assertThat(c.dataDir()).isEqualTo(Path.of("/home/op/.savesync-hub"));
        assertThat(c.listen()).isEqualTo("0.0.0.0:22000");
        assertThat(c.nodeName()).isEqualTo("hub");
        assertThat(c.antiEntropyInterval()).isEqualTo(Protocol.ANTI_ENTROPY_INTERVAL);
        assertThat(c.quicIdleTimeout()).isEqualTo(TransportConfig.defaults().idleTimeout());
        assertThat(c.quicKeepAliveInterval()).isEqualTo(TransportConfig.defaults().keepAliveInterval());
        assertThat(c.bulkLane()).isEqualTo(TransportConfig.defaults().bulkLane()).isTrue();
        assertThat(c.db().url()).isEmpty();
        assertThat(c.db().username()).isEqualTo("postgres");
        assertThat(c.db().password()).isEmpty();
    }

    @Test
    void everyKeyCanBeSetFromTheEnvironment() {
        HubConfig c = config(Map.of("SAVESYNC_DATA_DIR", "/srv/hub", "SAVESYNC_LISTEN", "10.0.0.1:23000",
                "SAVESYNC_NODE_NAME", "office-hub", "SAVESYNC_ANTI_ENTROPY_INTERVAL", "10m",
                "SAVESYNC_QUIC_IDLE_TIMEOUT", "2m", "SAVESYNC_QUIC_KEEP_ALIVE_INTERVAL", "20s",
                "SAVESYNC_DB_URL", "jdbc:postgresql://db:5432/savesync", "SAVESYNC_DB_USERNAME", "hub",
                "SAVESYNC_DB_PASSWORD", "secret", "SAVESYNC_BULK_LANE", "false"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/hub"));
        assertThat(c.listen()).isEqualTo("10.0.0.1:23000");
        assertThat(c.nodeName()).isEqualTo("office-hub");
        assertThat(c.antiEntropyInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.quicIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.quicKeepAliveInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.db().url()).contains("jdbc:postgresql://db:5432/savesync");
        assertThat(c.db().username()).isEqualTo("hub");
        assertThat(c.db().password()).contains("secret");
        assertThat(c.bulkLane()).isFalse();
    }
}
