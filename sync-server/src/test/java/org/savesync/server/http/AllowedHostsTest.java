package org.savesync.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {
    private final AllowedHosts hosts = AllowedHosts.of(List.of("localhost", "127.0.0.1", "::1", "Hub.Example.org."));

    @Test
    void namesMatchWithOrWithoutPortInAnyCase() {
        assertThat(hosts.allows("localhost")).isTrue();
        assertThat(hosts.allows("LOCALHOST:22080")).isTrue();
        assertThat(hosts.allows("hub.example.org:443")).isTrue();
        assertThat(hosts.allows("hub.example.org.")).isTrue();
        assertThat(hosts.allows("127.0.0.1:22080")).isTrue();
        assertThat(hosts.allows("[::1]:22080")).isTrue();
        assertThat(hosts.allows("[0:0:0:0:0:0:0:1]")).isTrue();
    }

    @Test
    void otherNamesAndMalformedValuesAreRefused() {
        assertThat(hosts.allows("attacker.example")).isFalse();
        assertThat(hosts.allows("localhost.attacker.example")).isFalse();
        assertThat(hosts.allows("127.0.0.2")).isFalse();
        assertThat(hosts.allows("localhost:")).isFalse();
        assertThat(hosts.allows("localhost:22080:1")).isFalse();
        assertThat(hosts.allows("localhost@attacker.example")).isFalse();
        assertThat(hosts.allows("[::1")).isFalse();
        assertThat(hosts.allows("[localhost]")).isFalse();
        assertThat(hosts.allows("")).isFalse();
        assertThat(hosts.allows(null)).isFalse();
        assertThat(hosts.allows("a".repeat(300))).isFalse();
    }

    @Test
    void theDefaultsHaveLoopbackAndTheBoundAddress() {
        AllowedHosts d = AllowedHosts.defaults("192.0.2.2");
        assertThat(d.names()).contains("localhost", "127.0.0.1", "[::1]", "192.0.2.2");
        assertThat(d.allows("192.0.2.2:22080")).isTrue();
        assertThat(d.allows("example.org")).isFalse();
        assertThat(AllowedHosts.defaults("0.0.0.0").names()).contains("127.0.0.1", "localhost");
    }

    @Test
    void aBadListIsRefusedWithTheEntry() {
        assertThatThrownBy(() -> AllowedHosts.of(List.of("localhost", "http://hub:80")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'http://hub:80'");
        assertThatThrownBy(() -> AllowedHosts.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGuardRefusesForeignHostsAndCrossSiteChanges() {
        RequestGuard g = new RequestGuard(hosts);
        assertThat(g.refusal(HttpMethod.GET, "localhost:22080", null, null)).isEmpty();
        assertThat(g.refusal(HttpMethod.GET, null, null, null)).get().asString().contains("no Host header");
        assertThat(g.refusal(HttpMethod.GET, "evil.example\u0007", null, null)).get().asString()
                .contains("'evil.example?'");
        assertThat(g.refusal(HttpMethod.POST, "localhost", null, null)).isEmpty();
        assertThat(g.refusal(HttpMethod.POST, "localhost", "http://localhost:22080", "same-origin")).isEmpty();
        assertThat(g.refusal(HttpMethod.POST, "localhost", null, "none")).isEmpty();
        assertThat(g.refusal(HttpMethod.POST, "localhost", null, "same-site")).isPresent();
        assertThat(g.refusal(HttpMethod.PUT, "localhost", "null", null)).isPresent();
        assertThat(g.refusal(HttpMethod.DELETE, "localhost", "http://evil.example", null)).isPresent();
        assertThat(g.refusal(HttpMethod.GET, "localhost", "http://evil.example", "cross-site")).isEmpty();
    }
}
