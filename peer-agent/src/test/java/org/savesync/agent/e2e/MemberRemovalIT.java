package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.PeerRefusedException;
import org.savesync.core.transport.QuicEndpoint;
import org.savesync.core.transport.TransportConfig;

/**
 * Removal shuts the door, with real processes: a hub, a registered creator A and members B and
 * C that joined with hub tickets. The admin removes C with {@code savesync-server admin remove}
 * (gRPC); within 5 s C has no link left, its status says it was removed, what A adds afterwards
 * reaches B and never C, C's old reusable ticket is refused as revoked, C's key dialling A or the
 * hub is refused as not a member, and A and B hold the new secret epoch. Then B is removed through
 * REST ({@code DELETE /api/v1/groups/{id}/members/{node}}) with the same effect, and the audit
 * log shows both removals by the admin and both joins by the nodes.
 *
 * <p>Run: see {@link HubStoreAndForwardIT}.
 */
class MemberRemovalIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The bound: a removed member has no link left within 5 s of the removal. */
    private static final Duration LINKS_GONE = Duration.ofSeconds(5);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    @Test
    void aRemovedMemberLosesEveryLinkGetsNothingNewAndCannotComeBack() throws Exception {
        HubProcess hub = env.hub("hub").start();
        AgentProcess a = env.agent("a").withHub(hub.address(), hub.enrollmentToken());
        AgentProcess b = env.agent("b");
        AgentProcess c = env.agent("c");
        TreeBuilder ta = TreeBuilder.at(a.folder()).file("before.txt", "there before the removal\n");
        a.start();
        b.start();
        c.start();
        String group = HubSteps.createGroup(a, "team");
        HubSteps.awaitRegistered(a, hub, group);
        HubSteps.join(b, HubSteps.hubTicket(a, hub, group), group);
        HubSteps.join(c, HubSteps.hubTicket(a, hub, group), group);
        String kept = HubSteps.hubTicket(a, hub, group, "--uses", "5"); // C keeps this one for later
        String bId = b.api().status().path("nodeId").asText();
        String cId = c.api().status().path("nodeId").asText();
        await("B and C have A's file").atMost(DEADLINE).until(() -> Files.exists(b.folder().resolve("before.txt"))
                && Files.exists(c.folder().resolve("before.txt")));
        await("C is linked to A, B and the hub").atMost(DEADLINE).until(() -> peers(c).size() == 3);
        long epoch = epoch(a, group);
        assertThat(epoch(c, group)).isEqualTo(epoch);

        // Over gRPC, with the admin command line.
        CliResult removed = hub.admin("remove", group, cId).ok();
        assertThat(removed.stdout()).contains("removed " + cId).contains("group secret epoch " + (epoch + 1));
        await("C has no link to A, B or the hub").atMost(LINKS_GONE).pollInterval(Duration.ofMillis(100))
                .until(() -> peers(c).isEmpty());
        JsonNode state = c.api().groupStatus(group);
        assertThat(state.path("state").asText()).isEqualTo("removed");
        assertThat(state.path("reason").asText()).contains("removed from group team")
                .contains("files stay in " + c.folder());
        assertThat(c.cli("status").ok().stdout()).contains("removed: removed from group team");
        await("A and B hold the new epoch").atMost(DEADLINE)
                .until(() -> epoch(a, group) == epoch + 1 && epoch(b, group) == epoch + 1);
        assertThat(epoch(c, group)).as("C never gets the new secret").isEqualTo(epoch);

        ta.file("after.txt", "added after C was removed\n");
        a.cli("scan", group).ok();
        await("B gets what A adds").atMost(DEADLINE).until(() -> Files.exists(b.folder().resolve("after.txt")));
        await("the hub holds it").atMost(DEADLINE).until(() -> hub.api().files(group).getOrDefault("after.txt", false));
        assertThat(c.folder().resolve("after.txt")).as("C gets nothing added after its removal").doesNotExist();
        assertThat(c.folder().resolve("before.txt")).as("C's files stay").exists();

        CliResult again = c.cli("join", kept, "--dir", c.folder().resolveSibling("c-again").toString());
        assertThat(again.exitCode()).as("C's old ticket: " + again).isNotZero();
        assertThat(again.stderr() + again.stdout()).contains("revoked");
        NodeKey cKey = NodeKey.loadOrCreate(c.dataDir());
        assertRefusedAsNotAMember(cKey, a.quicAddress(), NodeId.parse(a.api().status().path("nodeId").asText()));
        assertRefusedAsNotAMember(cKey, hub.address().substring(0, hub.address().indexOf('#')),
                NodeId.parse(hub.nodeId()));
        assertThat(hub.api().members(group).toString()).doesNotContain(cId).contains(bId);

        // Through REST: B goes the same way; A goes on syncing with the hub.
        JsonNode rest = hub.api().delete("/api/v1/groups/" + group + "/members/" + bId);
        assertThat(rest.toString()).contains(bId).contains("\"secretEpoch\":" + (epoch + 2));
        await("B has no link left").atMost(LINKS_GONE).pollInterval(Duration.ofMillis(100))
                .until(() -> peers(b).isEmpty());
        assertThat(b.api().groupStatus(group).path("state").asText()).isEqualTo("removed");
        await("A holds the epoch after B's removal").atMost(DEADLINE).until(() -> epoch(a, group) == epoch + 2);
        ta.file("after-b.txt", "added after B was removed\n");
        a.cli("scan", group).ok();
        await("the hub gets what A adds").atMost(DEADLINE)
                .until(() -> hub.api().files(group).getOrDefault("after-b.txt", false));
        assertThat(b.folder().resolve("after-b.txt")).doesNotExist();
        assertThat(hub.api().members(group).toString()).doesNotContain(bId);

        String audit = hub.api().get("/api/v1/audit").toString();
        assertThat(audit).contains("member.remove").contains(cId).contains(bId).contains("local-admin")
                .contains("member.join").contains("node " + cId);
    }

    /** The node ids C (or another agent) is linked to now, by its local API. */
    private static List<String> peers(AgentProcess agent) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : agent.api().get("/peers")) {
            out.add(p.path("nodeId").asText());
        }
        return out;
    }

    private static long epoch(AgentProcess agent, String group) {
        JsonNode e = agent.api().get("/groups/" + group).path("secretEpoch");
        assertThat(e.isNumber()).as("secretEpoch in GET /groups/" + group + " of " + agent.name()).isTrue();
        return e.asLong();
    }

    /** A connection on the member ALPN with {@code key} to {@code address} is refused as not a member. */
    private static void assertRefusedAsNotAMember(NodeKey key, String address, NodeId expected) {
        int colon = address.lastIndexOf(':');
        InetSocketAddress to = new InetSocketAddress(address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)));
        try (QuicEndpoint as = QuicEndpoint.start(key, new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults(), p -> false, conn -> { })) {
            assertThatThrownBy(() -> as.dial(to, expected, Alpn.MEMBER).join()).as("dialling " + address)
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(PeerRefusedException.class, e -> assertThat(e.notAMember()).isTrue());
        }
    }
}
