package org.savesync.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every start-up fault of the real hub process ends it with exit code 1 and one line on standard
 * error that names the fault and what to do: no stack trace, no exception class names.
 */
class HubStartupFaultsIT {
    private static final Duration EXIT = Duration.ofMinutes(3);
    private static int run;

    @TempDir
    Path tmp;

    private int udp;
    private int http;
    private int management;

    @BeforeEach
    void ports() throws Exception {
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp = d.getLocalPort();
        }
        http = HubProcess.freeTcpPort();
        management = HubProcess.freeTcpPort();
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("--data-dir", tmp.resolve("hub").toString(), "--listen",
                "127.0.0.1:" + udp, "--http-port", Integer.toString(http), "--management-port",
                Integer.toString(management)));
        a.addAll(List.of(more));
        return a;
    }

    /** Runs the hub to its end; asserts exit code 1 and the one line, which must contain {@code fragments}. */
    private void assertFailsWithOneLine(List<String> args, Map<String, String> env, String... fragments)
            throws Exception {
        try (HubProcess hub = HubProcess.start(Path.of("target", "it-logs"), "fault-" + ++run, args, env)) {
            int code = hub.awaitExit(EXIT);
            String err = hub.stderr();
            assertThat(code).as("exit code; stderr:\n" + err).isEqualTo(1);
            assertThat(err.strip().lines().toList()).as("stderr").hasSize(1);
            assertThat(err).startsWith("savesync-server: ").contains(fragments)
                    .doesNotContain("Exception", "\tat ", "Caused by", "SRCFG");
            assertThat(hub.stdout()).as("no error-level log lines").doesNotContain(" ERROR ", "\tat ");
        }
    }

    @Test
    void aTakenUdpPort() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", udp))) {
            assertFailsWithOneLine(args(), Map.of(), "the UDP port 127.0.0.1:" + udp + " is in use",
                    "--listen HOST:PORT");
        }
    }

    @Test
    void aTakenHttpPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(http, 50, InetAddress.getByName("127.0.0.1"))) {
            assertFailsWithOneLine(args(), Map.of(), "the HTTP port " + http + " is in use", "--http-port PORT");
        }
    }

    @Test
    void aTakenManagementPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(management, 50, InetAddress.getByName("127.0.0.1"))) {
            assertFailsWithOneLine(args(), Map.of(), "the management port " + management + " (health, metrics) is in use",
                    "--management-port PORT");
        }
    }

    @Test
    void aDataDirThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        List<String> a = args();
        a.set(1, file.toString());
        assertFailsWithOneLine(a, Map.of(), file.toString(), "is a file", "--data-dir");
    }

    @Test
    void aBadDurationInTheEnvironment() throws Exception {
        assertFailsWithOneLine(args(), Map.of("SAVESYNC_ANTI_ENTROPY_INTERVAL", "banana"),
                "the setting savesync.anti-entropy-interval (environment variable SAVESYNC_ANTI_ENTROPY_INTERVAL) has"
                        + " the bad value \"banana\"", "fix or unset it");
    }

    @Test
    void aBadAllowedHostsList() throws Exception {
        assertFailsWithOneLine(args(), Map.of("SAVESYNC_HTTP_ALLOWED_HOSTS", "localhost,http://hub.example:80"),
                "savesync.http.allowed-hosts: 'http://hub.example:80' is not a host name");
    }

    @Test
    void aBadListenAddressInTheEnvironment() throws Exception {
        List<String> a = args();
        a.subList(2, 4).clear(); // no --listen: the environment's value is used
        assertFailsWithOneLine(a, Map.of("SAVESYNC_LISTEN", "nowhere"), "savesync.listen 'nowhere' is not HOST:PORT");
    }

    @Test
    void anAdminTokenFileOthersCanRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("hub"));
        Path token = Files.writeString(dir.resolve("admin-token"), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertFailsWithOneLine(args(), Map.of(), "the admin token " + token + " is open to other users",
                "chmod 600 " + token);
    }
}
