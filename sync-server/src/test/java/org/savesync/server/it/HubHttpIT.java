package org.savesync.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real hub with its HTTP bound to a non-loopback address of this machine (its first IPv4
 * address on an interface that is up; the kernel delivers traffic to its own address locally, so
 * nothing leaves the machine): the admin API answers only to its allowed Host names, and health
 * and metrics are served on the management port (loopback), not on the main one.
 */
class HubHttpIT {
    private static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void onANonLoopbackAddressTheApiAnswersOnlyToAllowedHostsAndMetricsAreOnTheManagementPort() throws Exception {
        String address = ownNonLoopbackAddress();
        assumeTrue(address != null, "this machine has no non-loopback IPv4 address to bind the hub's HTTP to");
        int http = HubProcess.freeTcpPort();
        int management = HubProcess.freeTcpPort();
        int udp;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp = d.getLocalPort();
        }
        try (HubProcess hub = HubProcess.start(Path.of("target", "it-logs"), "hub-http", List.of("--data-dir",
                tmp.resolve("hub").toString(), "--listen", "127.0.0.1:" + udp, "--http-port", Integer.toString(http),
                "--management-port", Integer.toString(management)), Map.of("QUARKUS_HTTP_HOST", address))) {
            await("the hub's health on the management port").atMost(START).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(ConnectException.class).until(() -> {
                        assertThat(hub.isAlive()).as("hub exited: " + hub.stderr()).isTrue();
                        return RawHttp.get("127.0.0.1", management, "/q/health/ready", "localhost").status() == 200;
                    });

            Path tokenFile = tmp.resolve("hub").resolve("admin-token");
            assertThat(hub.stdout()).as("the startup line names the token's file").contains("admin token: " + tokenFile);
            String token = Files.readString(tokenFile).strip();
            assertThat(hub.stdout()).as("the token itself is never printed").doesNotContain(token);
            RawHttp.Answer anonymous = RawHttp.get(address, http, "/api/v1/groups", address + ":" + http);
            assertThat(anonymous.status()).as("no token").isEqualTo(401);
            assertThat(anonymous.body()).contains("\"status\":\"error\"", "admin-token");
            assertThat(RawHttp.get(address, http, "/api/v1/groups", address + ":" + http, token).status())
                    .as("the bound address is an allowed name").isEqualTo(200);
            assertThat(RawHttp.get(address, http, "/api/v1/nodes", "localhost:" + http, token).status()).isEqualTo(200);
            RawHttp.Answer rebound = RawHttp.get(address, http, "/api/v1/groups", "rebound.attacker.example:" + http,
                    token);
            assertThat(rebound.status()).as("DNS rebinding: the attacker's name").isEqualTo(403);
            assertThat(rebound.body()).contains("\"status\":\"error\"",
                    "the Host 'rebound.attacker.example:" + http + "' is not a name of this hub");
            assertThat(RawHttp.get(address, http, "/api/v1/nodes", "hub.attacker.example", token).status())
                    .isEqualTo(403);

            assertThat(RawHttp.get(address, http, "/q/metrics", address).status()).as("no metrics on the main port")
                    .isEqualTo(404);
            assertThat(RawHttp.get(address, http, "/q/health/ready", address).status()).isEqualTo(404);
            RawHttp.Answer metrics = RawHttp.get("127.0.0.1", management, "/q/metrics", "127.0.0.1");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("savesync_peers_connected", "savesync_transfer_bytes_total");
            assertThat(RawHttp.get("127.0.0.1", management, "/api/v1/groups", "127.0.0.1").status())
                    .as("no admin API on the management port").isEqualTo(404);
            assertThatThrownBy(() -> RawHttp.get(address, management, "/q/metrics", address))
                    .as("the management port listens on loopback only").isInstanceOf(ConnectException.class);

            hub.close();
            assertThat(hub.stderr()).as("nothing on stderr from a clean run").isBlank();
        }
    }

    /** This machine's own first non-loopback IPv4 address on an interface that is up, or null. */
    private static String ownNonLoopbackAddress() throws java.net.SocketException {
        for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }
}
