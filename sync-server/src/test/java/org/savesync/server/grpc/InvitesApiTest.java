package org.savesync.server.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportConfig;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.grpc.v1.CreateInviteRequest;
import org.savesync.server.grpc.v1.CreateInviteResponse;
import org.savesync.server.grpc.v1.ListInvitesRequest;
import org.savesync.server.grpc.v1.RevokeInviteRequest;
import org.savesync.server.service.EnrollmentToken;
import org.savesync.server.service.HubService;
import org.savesync.server.testing.ApiAuth;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * Invites over both admin APIs against the running hub, its embedded PostgreSQL and real agents
 * over QUIC: what one API makes the other lists and revokes; a read-only invite makes its joiner a
 * READER in the signed list; a revoked one is refused to the joiner saying so; lists never show a
 * ticket; values out of range are refused naming their field; both changes are audited.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class InvitesApiTest {
    @Inject
    AuthMode auth;

    @Inject
    HubService hub;

    @Inject
    org.savesync.server.persistence.PgInviteStore store;

    @TestHTTPResource("/")
    URL root;

    private AdminGrpcClient grpc;
    private Path tmp;
    private final List<SyncEngine> agents = new ArrayList<>();
    private GroupId group;

    @BeforeEach
    void hubWithARegisteredGroup() throws Exception {
        ApiAuth.sendLocalToken(auth);
        grpc = new AdminGrpcClient(root.getPort(), ApiAuth.localToken(auth));
        Files.createDirectories(Path.of("target"));
        tmp = Files.createTempDirectory(Path.of("target"), "invites-");
        String token = Files.readString(hub.dataDir().resolve(EnrollmentToken.FILE)).strip();
        SyncEngine alice = agent("alice");
        group = alice.createGroup("photos", tmp.resolve("alice"));
        alice.registerWithHub(group, hub.address(), token).get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        ApiAuth.reset();
        grpc.close();
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

    private String invitesPath() {
        return "/api/v1/groups/" + group + "/invites";
    }

    private JsonPath restCreate(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post(invitesPath()).then().statusCode(201)
                .extract().jsonPath();
    }

    private List<Map<String, Object>> restList() {
        return given().get(invitesPath()).then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void restMakesGrpcListsAndRevokesAndTheJoinerHearsWhy() throws Exception {
        JsonPath made = restCreate(Map.of("ttlSeconds", 3600, "maxUses", 2, "role", "READER"));
        String ticket = made.getString("ticket");
        String id = made.getString("invite.inviteId");
        assertThat(made.getString("invite.role")).isEqualTo("READER");
        assertThat(made.getInt("invite.maxUses")).isEqualTo(2);
        assertThat(made.getInt("invite.uses")).isZero();
        assertThat(made.getBoolean("invite.singleUse")).isFalse();
        assertThat(made.getString("invite.createdBy")).isEqualTo("admin local-admin");
        String secret = Ticket.parse(ticket).token().text();
        assertThat(given().get(invitesPath()).asString()).as("a list shows no ticket").contains(id)
                .doesNotContain(secret).doesNotContain("ticket");

        var listed = grpc.groups.listInvites(ListInvitesRequest.newBuilder().setGroupId(group.toString()).build());
        assertThat(listed.getInvitesList()).singleElement().satisfies(i -> {
            assertThat(i.getInviteId()).isEqualTo(id);
            assertThat(i.getRole()).isEqualTo("READER");
            assertThat(i.getMaxUses()).isEqualTo(2);
            assertThat(i.getCreatedBy()).isEqualTo("admin local-admin");
            assertThat(i.toString()).doesNotContain(secret);
        });

        SyncEngine bob = agent("bob");
        bob.join(Ticket.parse(ticket), tmp.resolve("bob")).get(60, TimeUnit.SECONDS);
        assertThat(hub.engine().group(group).orElseThrow().members().member(bob.nodeId()).orElseThrow().role())
                .as("a read-only invite makes a READER").isEqualTo(Role.READER);
        assertThat(restList()).singleElement().satisfies(i -> assertThat(i).containsEntry("uses", 1));
        assertThat(new org.savesync.core.membership.InviteRegistry(store).active(group, System.currentTimeMillis()))
                .as("the hub's engine keeps its invites in PostgreSQL: a restarted registry has this one, used once")
                .singleElement().satisfies(i -> {
                    assertThat(i.id()).isEqualTo(id);
                    assertThat(i.uses()).isEqualTo(1);
                });

        var revoked = grpc.groups.revokeInvite(RevokeInviteRequest.newBuilder().setGroupId(group.toString())
                .setInviteId(id).build());
        assertThat(revoked.getInviteId()).isEqualTo(id);
        assertThat(restList()).isEmpty();
        Throwable refused = catchThrowable(() -> agent("carol").join(Ticket.parse(ticket), tmp.resolve("carol"))
                .get(60, TimeUnit.SECONDS));
        assertThat(refused).rootCause().hasMessageContaining("this invite was revoked");
        assertThatThrownBy(() -> grpc.groups.revokeInvite(RevokeInviteRequest.newBuilder()
                .setGroupId(group.toString()).setInviteId(id).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("no live invite " + id);
                });

        JsonPath audit = given().queryParam("group", group.toString()).get("/api/v1/audit").then().statusCode(200)
                .extract().jsonPath();
        List<String> actions = audit.getList("events.action");
        assertThat(actions).containsSubsequence("invite.revoke", "invite.create");
        assertThat(audit.getList("events.findAll { it.action.startsWith('invite.') }.actor", String.class))
                .as("who made and revoked the invites").containsOnly("local-admin");
        assertThat(audit.prettify()).as("the audit log holds no ticket").doesNotContain(secret).contains(id);
    }

    @Test
    void grpcMakesRestListsAndRevokesASingleUseInvite() {
        CreateInviteResponse made = grpc.groups.createInvite(CreateInviteRequest.newBuilder()
                .setGroupId(group.toString()).setTtlSeconds(600).build());
        assertThat(made.getInvite().getMaxUses()).as("single use by default").isEqualTo(1);
        assertThat(made.getInvite().getRole()).isEqualTo("MEMBER");
        assertThat(AdminWire.fromWire("e", made.getInvite().getExpiresAt()))
                .isEqualTo(AdminWire.fromWire("c", made.getInvite().getCreatedAt()).plusSeconds(600));
        String id = made.getInvite().getInviteId();
        assertThat(restList()).singleElement().satisfies(i -> assertThat(i).containsEntry("inviteId", id)
                .containsEntry("singleUse", true));
        given().delete(invitesPath() + "/" + id).then().statusCode(200).body("inviteId",
                org.hamcrest.Matchers.equalTo(id));
        given().delete(invitesPath() + "/" + id).then().statusCode(404);
        assertThat(restList()).isEmpty();

        CreateInviteResponse reusable = grpc.groups.createInvite(CreateInviteRequest.newBuilder()
                .setGroupId(group.toString()).setSingleUse(false).build());
        assertThat(reusable.getInvite().getMaxUses()).as("a reusable invite's default limit").isEqualTo(100);
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheField() {
        refusedRest(Map.of("ttlSeconds", 59), "ttlSeconds: 60..2592000");
        refusedRest(Map.of("ttlSeconds", 2_592_001), "ttlSeconds: 60..2592000");
        refusedRest(Map.of("maxUses", 0), "maxUses: 1..10000");
        refusedRest(Map.of("maxUses", 10_001), "maxUses: 1..10000");
        refusedRest(Map.of("singleUse", true, "maxUses", 5), "maxUses: a single-use invite admits 1 joiner");
        refusedRest(Map.of("role", "OWNER"), "role: MEMBER (read-write) or READER (read-only)");
        refusedRest(Map.of("uses", 3), "uses: no such field");
        given().delete(invitesPath() + "/not-an-id").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("inviteId"));
        given().get("/api/v1/groups/" + GroupId.random() + "/invites").then().statusCode(404);
        assertThatThrownBy(() -> grpc.groups.createInvite(CreateInviteRequest.newBuilder()
                .setGroupId(group.toString()).setMaxUses(10_001).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("maxUses: 1..10000");
                });
        assertThatThrownBy(() -> grpc.groups.listInvites(ListInvitesRequest.newBuilder()
                .setGroupId(GroupId.random().toString()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(restList()).as("nothing was made").isEmpty();
    }

    private void refusedRest(Map<String, Object> body, String message) {
        String error = given().contentType(ContentType.JSON).body(body).post(invitesPath()).then().statusCode(400)
                .extract().jsonPath().getString("error");
        assertThat(error).startsWith(message);
    }
}
