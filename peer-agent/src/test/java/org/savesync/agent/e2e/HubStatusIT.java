package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Ticket;
import org.savesync.core.testsupport.TreeBuilder;

/**
 * What a new user reads from the command line about the hub and the peers, with real
 * processes: {@code savesync status} says where the group's hub stands (up to date, offline
 * since, what it lacks) and is in sync only when the connected members agree;
 * {@code savesync peers} names each peer and marks the hub; a join whose authority cannot be
 * reached names the address and what to check, without transport internals, and leaves no
 * folder behind.
 *
 * <p>Run: {@code ./mvnw -B -pl sync-server,peer-agent -am verify -Dit.test=HubStatusIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HubStatusIT {
    /** How long a status change may take to show (anti-entropy every 5 s, a loaded machine). */
    private static final Duration SHOWS = Duration.ofSeconds(60);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    @Test
    void statusTellsTheHubsStateAndPeersNameThemselves() throws Exception {
        HubProcess hub = env.hub("hub").start();
        AgentProcess a = env.agent("alice").withHub(hub.address(), hub.enrollmentToken());
        AgentProcess b = env.agent("bob");
        TreeBuilder.at(a.folder()).file("first.txt", "first\n");
        a.start();
        b.start();
        String group = HubSteps.createGroup(a, "team");
        HubSteps.awaitRegistered(a, hub, group);
        HubSteps.join(b, HubSteps.hubTicket(a, hub, group), group);

        // Everyone online and agreeing: in sync, and the hub is up to date.
        await("alice's status: in sync, hub up to date").atMost(SHOWS).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(a).contains("  state   in sync") && status(a).contains("  backup  hub up to date"));

        // peers: names from the member list, the hub marked.
        await("alice's peers lists bob and the hub by name").atMost(SHOWS).pollInterval(Duration.ofSeconds(1))
                .until(() -> a.cli("peers").ok().stdout().lines().count() == 2);
        List<String> peers = a.cli("peers").ok().stdout().lines().toList();
        assertThat(peers).anySatisfy(l -> assertThat(l).startsWith("bob  ").contains(b.api().status().path("nodeId")
                .asText()).doesNotContain("(hub)"));
        assertThat(peers).anySatisfy(l -> assertThat(l).startsWith("hub (hub)  ").contains(hub.nodeId()));

        // The hub stops: status says since when, and what it lacks once alice has a new file.
        hub.stop();
        await("alice's status: hub offline since").atMost(SHOWS).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(a).contains("  backup  hub offline since "));
        Files.write(a.folder().resolve("while-away.bin"), new byte[300_000]);
        a.cli("scan").ok();
        await("alice's status: the offline hub lacks the new file").atMost(SHOWS).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(a).matches("(?s).*  backup  hub offline since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"
                        + " UTC \\(\\d+ (s|min) ago\\); it lacks 1 file / 0\\.3 MB this node holds.*"));
        assertThat(a.cli("status", "--json").ok().stdout()).contains("\"state\" : \"offline\"")
                .contains("\"offlineSinceMillis\"");

        // Back: the hub catches up and status says so.
        hub.start();
        await("alice's status: hub up to date again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(a).contains("  backup  hub up to date") && status(a).contains("  state   in sync"));
    }

    @Test
    void joinThroughADeadAddressSaysWhereAndWhatToCheck() throws Exception {
        AgentProcess c = env.agent("carol");
        AgentProcess b = env.agent("bob");
        c.start();
        b.start();
        String group = c.cli("group", "create", "solo", "--dir", c.folder().toString()).ok().lastLine();
        Ticket real = Ticket.parse(c.cli("group", "invite", group).ok().lastLine());
        int dead;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort(); // free again once closed: nothing answers there
        }
        String deadTicket = new Ticket(real.group(), real.groupName(), real.authority(), List.of("127.0.0.1:" + dead),
                InviteToken.random(), real.expiresAtMillis()).text();

        CliResult r = b.cli("join", deadTicket, "--dir", b.folder().toString());

        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.stderr().strip()).as("%s", r).contains("cannot reach 127.0.0.1:" + dead + " (no answer in 10 s):"
                + " is the agent running there? is UDP " + dead + " open?").doesNotContain("QuicConnectionAddress")
                .doesNotContain("EPHEMERAL").doesNotContain("refused");
        assertThat(b.folder()).as("a failed join leaves no new folder").doesNotExist();

    }

    private static String status(AgentProcess a) {
        return a.cli("status").ok().stdout();
    }
}
