package org.savesync.server.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.testing.ApiAuth;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportConfig;
import org.savesync.server.persistence.NodeRegistry;
import org.savesync.server.service.EnrollmentToken;
import org.savesync.server.service.HubService;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * The member and node fields of the admin API against the running hub and two real agents
 * over QUIC: alice enrolls and registers a group, bob joins it with a ticket only.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class MemberFieldsTest {
    @Inject
    AuthMode auth;

    /** Every request sends the hub's local admin token (LocalTokenAuthTest covers requests without it). */
    @BeforeEach
    void sendAdminToken() {
        ApiAuth.sendLocalToken(auth);
    }

    @AfterEach
    void sendNoToken() {
        ApiAuth.reset();
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    NodeRegistry registry;

    @Inject
    HubService hub;

    /** Folders of the agents, under target/ (a {@code @TempDir} field is not filled in a Quarkus test). */
    private Path tmp;

    private final List<SyncEngine> agents = new ArrayList<>();

    @BeforeEach
    void folders() throws Exception {
        Files.createDirectories(Path.of("target"));
        tmp = Files.createTempDirectory(Path.of("target"), "member-fields-");
    }

    @AfterEach
    void stopAgents() throws Exception {
        agents.forEach(SyncEngine::close);
        try (var paths = Files.walk(tmp)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private SyncEngine agent(String name) {
        NodeKey key = NodeKey.generate();
        SyncEngine e = SyncEngine.start(key, new QuicNetwork(key, new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults()), new InMemoryStores(), EngineConfig.defaults(name));
        agents.add(e);
        return e;
    }

    @Test
    void everyFieldOfTheHubAndItsMembersIsTrue() throws Exception {
        String token = Files.readString(hub.dataDir().resolve(EnrollmentToken.FILE)).strip();
        SyncEngine alice = agent("alice");
        GroupId group = alice.createGroup("photos", tmp.resolve("alice"));
        alice.registerWithHub(group, hub.address(), token).get(60, TimeUnit.SECONDS);
        Ticket ticket = alice.requestInvite(group, Duration.ofHours(1), true).get(60, TimeUnit.SECONDS);
        SyncEngine bob = agent("bob");
        bob.join(Ticket.parse(ticket.text()), tmp.resolve("bob")).get(60, TimeUnit.SECONDS);
        NodeId hubId = hub.engine().nodeId();

        Instant asked = Instant.now();
        await("alice and bob online and up to date on the hub").atMost(WAIT).untilAsserted(() -> {
            List<Map<String, Object>> members = members(group);
            assertThat(members).hasSize(3);
            for (Map<String, Object> m : members) {
                assertThat(m).as(m.toString()).containsEntry("online", true).containsEntry("upToDate", true);
            }
        });
        Map<String, Object> self = member(group, hubId);
        assertThat(self).containsEntry("role", "HUB").containsEntry("online", true).containsEntry("upToDate", true);
        assertThat(self.get("lastSeen")).as("the hub's own lastSeen (it is always online to itself)").isNotNull();
        assertThat(Instant.parse((String) self.get("lastSeen"))).as("the hub itself is seen now").isAfterOrEqualTo(asked);

        Instant bobSeen = Instant.parse((String) member(group, bob.nodeId()).get("lastSeen"));
        assertThat(bobSeen).isAfterOrEqualTo(asked);
        await("bob's lastSeen advances while he is connected").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.parse((String) member(group, bob.nodeId()).get("lastSeen")).isAfter(bobSeen));

        List<Map<String, Object>> nodes = given().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath()
                .getList("$");
        Map<String, Object> hubNode = node(nodes, hubId);
        assertThat(hubNode).containsEntry("hub", true).containsEntry("enrolled", true).containsEntry("online", true);
        assertThat((List<Object>) hubNode.get("groups")).as("other tests of this hub register groups too")
                .contains(group.toString());
        assertThat((List<?>) hubNode.get("addresses")).isNotEmpty();
        assertThat(hubNode.get("lastSeen")).isNotNull();
        assertThat(node(nodes, alice.nodeId())).containsEntry("hub", false).containsEntry("enrolled", true)
                .containsEntry("online", true);
        assertThat(node(nodes, bob.nodeId())).as("joined with a ticket: a member, not enrolled")
                .containsEntry("hub", false).containsEntry("enrolled", false).containsEntry("online", true);

        // The hub samples who is connected every few seconds: bob leaves once it has recorded him.
        await("the hub has recorded bob as seen").atMost(WAIT).until(() -> registry.nodes().stream()
                .anyMatch(n -> n.id().equals(bob.nodeId()) && n.lastSeen() != null));
        agents.remove(bob);
        bob.close();
        Instant closed = Instant.now();
        await("bob offline").atMost(WAIT).until(() -> Boolean.FALSE.equals(member(group, bob.nodeId()).get("online")));
        Instant last = Instant.parse((String) member(group, bob.nodeId()).get("lastSeen"));
        assertThat(last).as("offline: the last time the hub saw him, a few seconds before he left")
                .isAfter(closed.minusSeconds(30)).isBeforeOrEqualTo(Instant.now());
        Thread.sleep(1_100); // to see that it no longer advances
        assertThat(Instant.parse((String) member(group, bob.nodeId()).get("lastSeen"))).isEqualTo(last);
    }

    /** OpenAPI is on the management interface, with health and metrics. */
    @TestHTTPResource(value = "/", management = true)
    URL openApi;

    @Test
    void theOpenApiDescribesEveryFieldOfMembersAndNodes() throws Exception {
        JsonPath api = given().get(new java.net.URL(openApi, "/q/openapi?format=json")).then().statusCode(200).extract().jsonPath();
        for (String schema : List.of("MemberView", "NodeView")) {
            Map<String, Map<String, Object>> props = api.getMap("components.schemas." + schema + ".properties");
            assertThat(props).as(schema).isNotEmpty();
            props.forEach((field, p) -> assertThat((String) p.get("description")).as(schema + "." + field)
                    .isNotBlank());
        }
        assertThat(api.getString("components.schemas.NodeView.properties.enrolled.description"))
                .contains("invite ticket");
    }

    private static List<Map<String, Object>> members(GroupId group) {
        return given().get("/api/v1/groups/" + group + "/members").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static Map<String, Object> member(GroupId group, NodeId node) {
        return members(group).stream().filter(m -> node.toString().equals(m.get("nodeId"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> node(List<Map<String, Object>> nodes, NodeId node) {
        return nodes.stream().filter(m -> node.toString().equals(m.get("nodeId"))).findFirst().orElseThrow();
    }
}
