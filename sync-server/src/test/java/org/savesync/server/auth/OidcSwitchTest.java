package org.savesync.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OIDC's default tenant is on exactly when an issuer URL is set, unless tenant-enabled is chosen by hand. */
class OidcSwitchTest {
    private static boolean tenantEnabled(Map<String, String> settings, Map<String, String> defaults) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withInterceptors(new OidcSwitch())
                .withSources(new PropertiesConfigSource(settings, "settings", 300))
                .withSources(new PropertiesConfigSource(defaults, "defaults", Integer.MIN_VALUE + 100))
                .build();
        return config.getValue(OidcSwitch.TENANT_ENABLED, Boolean.class);
    }

    @Test
    void onWithAnIssuerUrl() {
        assertThat(tenantEnabled(Map.of(OidcSwitch.AUTH_SERVER_URL, "https://kc.example/realms/s"), Map.of())).isTrue();
        assertThat(tenantEnabled(Map.of(OidcSwitch.AUTH_SERVER_URL, "https://kc.example/realms/s"),
                Map.of(OidcSwitch.TENANT_ENABLED, "false"))).as("a default nobody chose gives way").isTrue();
    }

    @Test
    void offWithoutOne() {
        assertThat(tenantEnabled(Map.of(), Map.of())).isFalse();
        assertThat(tenantEnabled(Map.of(OidcSwitch.AUTH_SERVER_URL, "  "), Map.of())).isFalse();
        assertThat(tenantEnabled(Map.of(), Map.of(OidcSwitch.TENANT_ENABLED, "true")))
                .as("Quarkus' own default (true) gives way").isFalse();
    }

    @Test
    void aValueSetByHandWins() {
        assertThat(tenantEnabled(Map.of(OidcSwitch.AUTH_SERVER_URL, "https://kc.example/realms/s",
                OidcSwitch.TENANT_ENABLED, "false"), Map.of())).isFalse();
        assertThat(tenantEnabled(Map.of(OidcSwitch.TENANT_ENABLED, "true"), Map.of())).isTrue();
    }
}
