package org.savesync.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hub keys: how they are read (including from environment variables) and what a bad value says. */
class HubSettingsTest {
    private static final String HUB_ID = "a".repeat(52);
    private static final String HUB = "hub.example.org:22000#" + HUB_ID;

    private static AgentConfig config(Map<String, String> env) {
        // Quarkus reads durations like "200ms"; plain SmallRye needs its converter for that.
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(AgentConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("savesync.data-dir", "/tmp/x"), "test", 100))
                .withSources(new EnvConfigSource(env, 300)).build();
        return c.getConfigMapping(AgentConfig.class);
    }

    @Test
    void environmentVariablesSetTheHubAndToken() {
        AgentConfig c = config(Map.of("SAVESYNC_HUB", HUB, "SAVESYNC_ENROLL_TOKEN", "s3cret"));

        HubSettings s = HubSettings.from(c).orElseThrow();

        assertThat(s.hub().address()).isEqualTo("hub.example.org:22000");
        assertThat(s.hub().node().toString()).isEqualTo(HUB_ID);
        assertThat(s.enrollToken()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void noHubMeansNoSettings() {
        assertThat(HubSettings.from(config(Map.of()))).isEmpty();
    }

    @Test
    void aHubWithoutTokenHasAnEmptyToken() {
        assertThat(HubSettings.parse(Optional.of(HUB), Optional.empty()).orElseThrow().enrollToken()).isEmpty();
        assertThat(HubSettings.parse(Optional.of(HUB), Optional.of("  ")).orElseThrow().enrollToken()).isEmpty();
    }

    @Test
    void aBadHubFailsWithTheParsersMessage() {
        assertThatThrownBy(() -> HubSettings.from(config(Map.of("SAVESYNC_HUB", "hub.example.org:22000"))))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("savesync.hub: a hub is written HOST:PORT#NODE_ID, as the sync server prints it; got"
                        + " 'hub.example.org:22000'")
                .satisfies(e -> assertThat(((InvalidSettingException) e).key()).isEqualTo("savesync.hub"));
        assertThatThrownBy(() -> HubSettings.parse(Optional.of("hub:x#" + HUB_ID), Optional.empty()))
                .hasMessageContaining("needs a port");
        assertThatThrownBy(() -> HubSettings.parse(Optional.of("hub:22000#nope"), Optional.empty()))
                .hasMessageContaining("node id").hasMessageContaining("is not valid");
    }

    @Test
    void aTokenWithoutHubIsRefused() {
        assertThatThrownBy(() -> HubSettings.parse(Optional.empty(), Optional.of("s3cret")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("only used with a hub").hasMessageNotContaining("s3cret");
    }
}
