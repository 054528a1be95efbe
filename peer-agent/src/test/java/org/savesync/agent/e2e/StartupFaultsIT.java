package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every start-up fault of {@code savesync run}, through the real command line: one line on
 * standard error that names the fault and what to do, no stack trace anywhere, and a non-zero
 * exit code.
 *
 * <p>Run: {@code ./mvnw -B -pl peer-agent -am verify -Dit.test=StartupFaultsIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class StartupFaultsIT {
    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    @Test
    void udpPortOfAnotherAgentIsOneLine() {
        AgentProcess a = env.agent("a").start();
        AgentProcess b = env.agent("b");

        CliResult r = b.cli("run", "--listen", a.quicAddress());

        assertOneLineFault(r, "UDP " + a.quicAddress() + " is in use", "--listen HOST:PORT");
        // the same through the environment variable
        CliResult viaEnv = b.cliWithEnv(Map.of("SAVESYNC_LISTEN", a.quicAddress()), "run");
        assertOneLineFault(viaEnv, "UDP " + a.quicAddress() + " is in use", "--listen HOST:PORT");
        assertThat(a.isAlive()).as("the agent holding the port runs on").isTrue();
    }

    @Test
    void apiPortInUseIsOneLine() throws Exception {
        AgentProcess b = env.agent("b");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();

            CliResult r = b.cli("run", "--listen", b.quicAddress(), "--api-port", Integer.toString(port));

            assertOneLineFault(r, "the local API port " + port + " (TCP, 127.0.0.1) is in use", "--api-port PORT");
        }
    }

    @Test
    void unusableDataDirIsOneLine() throws Exception {
        AgentProcess b = env.agent("b");
        Files.createDirectories(b.dataDir().getParent());
        Files.writeString(b.dataDir(), "a file where the data dir should be\n");
        try {
            CliResult r = b.cli("run", "--listen", b.quicAddress());
            assertOneLineFault(r, "the data dir " + b.dataDir() + " is not a directory", "--data-dir DIR");

            CliResult under = env.cli(List.of("--data-dir", b.dataDir().resolve("sub").toString(), "run", "--listen",
                    b.quicAddress()));
            assertOneLineFault(under, "cannot create the data dir " + b.dataDir().resolve("sub"), "--data-dir DIR");
        } finally {
            Files.deleteIfExists(b.dataDir());
        }
    }

    @Test
    void badConfigValueIsOneLine() {
        AgentProcess b = env.agent("b");

        CliResult r = b.cliWithEnv(Map.of("SAVESYNC_RESCAN_INTERVAL", "soon"), "run", "--listen", b.quicAddress());

        assertOneLineFault(r, "bad setting: savesync.rescan-interval (SAVESYNC_RESCAN_INTERVAL) = \"soon\" is not valid",
                "configuration table");
    }

    @Test
    void badFlagsAndValuesAreOneLine() throws Exception {
        AgentProcess b = env.agent("b");

        assertOneLineFault(b.cli("run", "--bogus"), "Unknown option: '--bogus'", "`savesync run --help`");
        assertOneLineFault(b.cli("run", "--api-port", "abc"), "'abc' is not an int", "`savesync run --help`");
        assertOneLineFault(b.cli("run", "--listen", "nonsense"), "--listen: not host:port: 'nonsense'", "HOST:PORT");
        assertOneLineFault(b.cli("run", "--listen", b.quicAddress(), "--hub", "nowhere"), "--hub", "HOST:PORT#NODE_ID");
        assertOneLineFault(b.cliWithEnv(Map.of("SAVESYNC_LISTEN", "127.0.0.1:99999"), "run"),
                "SAVESYNC_LISTEN: port out of range", "HOST:PORT");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertThat(probe.getLocalPort()).isPositive(); // the machine still has UDP: the faults above were ours
        }
    }

    /** Exit non-zero; standard error is one line {@code savesync: …} with both parts; no stack trace anywhere. */
    private static void assertOneLineFault(CliResult r, String what, String whatToDo) {
        assertThat(r.exitCode()).as("exit code of %s", r).isNotZero();
        List<String> errLines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(errLines).as("standard error of %s", r).hasSize(1);
        assertThat(errLines.get(0)).startsWith("savesync: ").contains(what).contains(whatToDo);
        assertThat(r.stdout() + r.stderr()).as("output of %s", r).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("ERROR");
    }
}
