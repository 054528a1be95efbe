package org.savesync.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.transport.TransportConfig;

/**
 * The packaged admin command line ({@code savesync-server admin ...}, a process of its own)
 * against the packaged hub: without a token or with a wrong one it says what to do; with the
 * hub's local token it lists, changes retention (and refuses a bad value with the hub's
 * message), reads the audit log, revokes an enrollment, rotates the token, and {@code events
 * --follow --json} prints the enrollment and registration of a real agent over QUIC.
 */
class AdminCliIT {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration CLI = Duration.ofMinutes(1);
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    Path tmp;

    private int http;
    private Path hubDir;

    /** One CLI run: exit code, stdout, stderr. */
    private record Run(int exit, String out, String err) {
    }

    private Run cli(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        try (HubProcess p = HubProcess.start(LOGS, "admin-cli-" + RUNS.incrementAndGet(), all, env)) {
            int exit = p.awaitExit(CLI);
            return new Run(exit, p.stdout(), p.stderr());
        }
    }

    private Run admin(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--hub", "127.0.0.1:" + http, "--data-dir", hubDir.toString()));
        return cli(Map.of("SAVESYNC_ADMIN_TOKEN", ""), all.toArray(String[]::new));
    }

    @Test
    void theAdminCommandLineSpeaksGrpcWithTheHubsToken() throws Exception {
        http = HubProcess.freeTcpPort();
        int management = HubProcess.freeTcpPort();
        int udp;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp = d.getLocalPort();
        }
        hubDir = tmp.resolve("hub");
        try (HubProcess hub = HubProcess.start(LOGS, "hub-admin-cli", List.of("--data-dir", hubDir.toString(),
                "--listen", "127.0.0.1:" + udp, "--http-port", Integer.toString(http), "--management-port",
                Integer.toString(management)), Map.of())) {
            await("the hub announced").atMost(START).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(ConnectException.class).until(() -> {
                        assertThat(hub.isAlive()).as("hub exited: " + hub.stderr()).isTrue();
                        return hub.stdout().contains("hub: ")
                                && RawHttp.get("127.0.0.1", management, "/q/health/ready", "localhost").status() == 200;
                    });
            String line = hub.stdout().lines().filter(l -> l.startsWith("hub: ")).findFirst().orElseThrow();
            HubAddress address = HubAddress.parse(line.substring("hub: ".length()).strip());

            Run none = cli(Map.of("SAVESYNC_ADMIN_TOKEN", ""), "groups", "--hub", "127.0.0.1:" + http);
            assertThat(none.exit()).isEqualTo(1);
            assertThat(none.err()).contains("no admin token: pass --token-file").contains("SAVESYNC_ADMIN_TOKEN");
            Run wrong = cli(Map.of("SAVESYNC_ADMIN_TOKEN", "not-the-token"), "groups", "--hub", "127.0.0.1:" + http);
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("the hub refused the token (UNAUTHENTICATED");
            Run nobody = cli(Map.of(), "groups", "--hub", "127.0.0.1:" + HubProcess.freeTcpPort(), "--token", "x");
            assertThat(nobody.exit()).isEqualTo(1);
            assertThat(nobody.err()).contains("cannot reach the hub at").contains("--hub HOST:PORT");

            try (HubProcess events = HubProcess.start(LOGS, "admin-cli-events", List.of("admin", "events", "--follow",
                    "--json", "--hub", "127.0.0.1:" + http, "--token-file", hubDir.resolve("admin-token").toString()),
                    Map.of("SAVESYNC_ADMIN_TOKEN", ""))) {
                await("events --follow subscribed").atMost(CLI).until(() -> {
                    assertThat(events.isAlive()).as("events exited: " + events.stderr()).isTrue();
                    return events.stderr().contains("following events on 127.0.0.1:" + http);
                });

                NodeKey key = NodeKey.generate();
                try (SyncEngine agent = SyncEngine.start(key, new QuicNetwork(key,
                        new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults()), new InMemoryStores(),
                        EngineConfig.defaults("alice"))) {
                    GroupId group = agent.createGroup("photos", tmp.resolve("alice"));
                    String token = Files.readString(hubDir.resolve("enrollment-token")).strip();
                    agent.registerWithHub(group, address, token).get(60, TimeUnit.SECONDS);
                    String node = agent.nodeId().toString();

                    await("events prints the enrollment and the registration").atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(events.stdout().lines().toList())
                                    .anySatisfy(l -> assertThat(l).contains("\"HUB_EVENT_KIND_NODE_ENROLLED\"")
                                            .contains(node))
                                    .anySatisfy(l -> assertThat(l).contains("\"HUB_EVENT_KIND_GROUP_REGISTERED\"")
                                            .contains(group.toString()).contains("\"photos\"")));

                    Run groups = admin("groups", "--json");
                    assertThat(groups.exit()).as(groups.err()).isZero();
                    assertThat(groups.out()).contains("\"id\": \"" + group + "\"").contains("\"name\": \"photos\"");
                    Run members = admin("members", group.toString());
                    assertThat(members.exit()).as(members.err()).isZero();
                    assertThat(members.out()).contains(node).contains("alice").contains("HUB");
                    Run nodes = admin("nodes", group.toString());
                    assertThat(nodes.out()).contains(node).contains("(hub)");
                    Run enrollments = admin("enrollments");
                    assertThat(enrollments.out()).contains("REVOKED").contains(node);

                    Run set = admin("retention", "set", group.toString(), "--keep-versions", "5", "--keep-days", "9");
                    assertThat(set.exit()).as(set.err()).isZero();
                    assertThat(set.out()).contains("keep 5 versions, 9 days");
                    Run get = admin("retention", "get", group.toString(), "--json");
                    assertThat(get.out()).contains("\"keepVersions\": 5").contains("\"keepDays\": 9");
                    Run bad = admin("retention", "set", group.toString(), "--keep-versions", "0");
                    assertThat(bad.exit()).isEqualTo(1);
                    assertThat(bad.err()).contains("INVALID_ARGUMENT").contains("keepVersions");

                    backups(agent, group);

                    Run invite = admin("invites", "create", group.toString(), "--uses", "3", "--read-only");
                    assertThat(invite.exit()).as(invite.err()).isZero();
                    assertThat(invite.out().strip()).startsWith("savesync1");
                    assertThat(invite.err()).contains("READER").contains("3 use(s)");
                    var idMatch = java.util.regex.Pattern.compile("invite ([a-z2-7]+): READER").matcher(invite.err());
                    assertThat(idMatch.find()).as(invite.err()).isTrue();
                    String inviteId = idMatch.group(1);
                    Run invites = admin("invites", group.toString());
                    assertThat(invites.out()).contains(inviteId).contains("READER").contains("0/3")
                            .doesNotContain(invite.out().strip());
                    Run revokeInvite = admin("invites", "revoke", group.toString(), inviteId);
                    assertThat(revokeInvite.exit()).as(revokeInvite.err()).isZero();
                    assertThat(revokeInvite.out()).startsWith("revoked invite " + inviteId);
                    assertThat(admin("invites", group.toString()).out()).doesNotContain(inviteId);
                    Run removeHub = admin("remove", group.toString(), address.node().toString());
                    assertThat(removeHub.exit()).isEqualTo(1);
                    assertThat(removeHub.err()).contains("FAILED_PRECONDITION");

                    Run revoke = admin("revoke-enrollment", node);
                    assertThat(revoke.exit()).as(revoke.err()).isZero();
                    assertThat(revoke.out()).startsWith("revoked " + node);
                    Run rotate = admin("rotate-enrollment-token");
                    assertThat(rotate.exit()).as(rotate.err()).isZero();
                    assertThat(rotate.out().strip()).isEqualTo(Files.readString(hubDir.resolve("enrollment-token"))
                            .strip()).isNotEqualTo(token);
                    Run audit = admin("audit", "--json");
                    assertThat(audit.out()).contains("\"retention.set\"").contains("\"enrollment.revoke\"")
                            .contains("\"enrollment.rotate-token\"").doesNotContain(rotate.out().strip());
                    Run byGroup = admin("audit", "--group", group.toString());
                    assertThat(byGroup.out()).contains("retention.set").doesNotContain("enrollment.revoke");
                }
            }
        }
    }

    /**
     * The backup commands: two versions of a file (the hub holds the first before the second is
     * written), its versions, the old one's bytes written to a file, the tree, the storage
     * figures, a retention run; and a refusal of a malformed version id.
     */
    private void backups(SyncEngine agent, GroupId group) throws Exception {
        String g = group.toString();
        Path notes = tmp.resolve("alice").resolve("notes.txt");
        Files.writeString(notes, "first");
        agent.group(group).orElseThrow().scan().get(60, TimeUnit.SECONDS);
        await("the hub holds notes.txt").atMost(CLI).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(admin("tree", g).out()).contains("notes.txt").doesNotContain("(incomplete)"));
        Files.writeString(notes, "second!");
        agent.group(group).orElseThrow().scan().get(60, TimeUnit.SECONDS);
        await("the hub lists both versions").atMost(CLI).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(admin("versions", g, "notes.txt").out().lines()).hasSize(2));
        Run versions = admin("versions", g, "notes.txt");
        assertThat(versions.out().lines().toList().get(0)).contains("(current)").contains("alice").contains("7 bytes");
        assertThat(versions.out().lines().toList().get(1)).contains("replaced").contains("5 bytes");
        String old = versions.out().lines().toList().get(1).split("\\s+")[0];

        Path out = tmp.resolve("restored-notes.txt");
        Run content = admin("version-content", g, old, "--out", out.toString());
        assertThat(content.exit()).as(content.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("first");
        Run again = admin("version-content", g, old, "--out", out.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("exists");
        Run bad = admin("version-content", g, "nope", "--out", tmp.resolve("x").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("INVALID_ARGUMENT").contains("version");

        await("the hub holds the second version").atMost(CLI).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(admin("storage", g).out()).contains("current 7 bytes, history 5 bytes"));
        assertThat(admin("storage").out()).startsWith("chunk store: ");
        assertThat(admin("tree", g, "--json").out()).contains("\"path\": \"notes.txt\"");
        Run run = admin("retention-run");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("group " + g + ": 0 of 2 versions removed").contains("garbage collection: ");
    }
}
