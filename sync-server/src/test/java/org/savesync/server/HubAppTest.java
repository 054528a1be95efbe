package org.savesync.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.testing.ApiAuth;
import org.savesync.core.engine.RegistrationRefusedException;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;
import org.savesync.server.persistence.NodeRegistry;
import org.savesync.server.service.EnrollmentToken;
import org.savesync.server.service.HubService;
import org.savesync.server.service.Presence;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/** The hub application booted on its own embedded PostgreSQL (a fresh database per run). */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class HubAppTest {
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

    @Inject
    HubService hub;

    @Inject
    NodeRegistry registry;

    @Inject
    Presence presence;

    /** The management interface (health and metrics), on a port of its own. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    private URL management(String path) throws Exception {
        return new URL(management, path);
    }

    @Test
    void readyWhenTheEngineRunsAndTheDatabaseAnswers() throws Exception {
        given().get(management("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("savesync hub"));
        given().get(management("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void healthAndMetricsAreOnlyOnTheManagementInterface() throws Exception {
        assertThat(management.getPort()).as("a port of its own: " + management).isPositive().isNotEqualTo(RestAssured.port);
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/api/v1/groups").then().statusCode(200);
        given().get(management("/api/v1/groups")).then().statusCode(404);
    }

    @Test
    void theAdminApiAnswersOnlyToItsOwnHostNames() throws Exception {
        given().header("Host", "localhost:22080").get("/api/v1/nodes").then().statusCode(200);
        given().header("Host", "[::1]").get("/api/v1/nodes").then().statusCode(200);
        given().header("Host", "rebound.attacker.example:22080").get("/api/v1/groups").then().statusCode(403)
                .body("status", equalTo("error"))
                .body("error", containsString("the Host 'rebound.attacker.example:22080' is not a name of this hub"))
                .body("error", containsString("savesync.http.allowed-hosts"));
        given().header("Host", "rebound.attacker.example").get("/q/openapi").then().statusCode(403);
        given().get(management("/q/openapi")).then().statusCode(200);
    }

    @Test
    void aCrossSiteBrowserMayNotChangeAnything() {
        given().header("Origin", "https://attacker.example").post("/api/v1/groups").then().statusCode(403)
                .body("error", containsString("origin 'https://attacker.example'"));
        given().header("Sec-Fetch-Site", "cross-site").delete("/api/v1/groups").then().statusCode(403)
                .body("error", containsString("cross-site browser request may not DELETE"));
        // Reading is not refused for its Origin (the Host check guards reads), and a program's POST gets through
        // to the API, which has no such call (405).
        given().header("Origin", "https://attacker.example").get("/api/v1/groups").then().statusCode(200);
        given().post("/api/v1/groups").then().statusCode(405);
    }

    @Test
    void metricsHaveTheHubsGaugesAndCounters() throws Exception {
        String metrics = given().get(management("/q/metrics")).then().statusCode(200).extract().asString();
        assertThat(metrics).contains("savesync_entries ", "savesync_chunks ", "savesync_chunk_bytes_stored ",
                "savesync_peers_connected ", "savesync_groups ",
                "savesync_transfer_bytes_total{direction=\"in\"}", "savesync_transfer_bytes_total{direction=\"out\"}",
                "savesync_entries_received_total ", "savesync_refusals_total{reason=\"bad_signature\"}",
                "savesync_refusals_total{reason=\"join_refused\"}", "savesync_event_streams ",
                "savesync_events_dropped_total ", "savesync_bulk_bytes_total{direction=\"out\",path=\"tcp\"}",
                "savesync_bulk_bytes_total{direction=\"in\",path=\"quic\"}", "savesync_bulk_lanes_bound_total ",
                "savesync_bulk_lane_failures_total{reason=\"refused\"}");
    }

    @Test
    void theHubAddressIsConcreteAndNamesTheEnginesNode() {
        HubAddress a = hub.address();
        assertThat(a.node()).isEqualTo(hub.engine().nodeId());
        assertThat(a.address()).startsWith("127.0.0.1:").doesNotContain("0.0.0.0");
        assertThat(HubAddress.parse(a.toString())).isEqualTo(a);
        assertThat(hub.engine().listenAddresses()).contains(a.address());

        var printed = new java.io.ByteArrayOutputStream();
        hub.announce(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hub: " + a + "\n");
    }

    @Test
    void theEnrollmentTokenEnrollsAnAgentThatThenNeedsItNoMore() throws Exception {
        var file = hub.dataDir().resolve(EnrollmentToken.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = Files.readString(file).strip();
        NodeId agent = NodeKey.generate().nodeId();

        assertThatThrownBy(() -> hub.registrations().admit(agent, GroupId.random(), ""))
                .isInstanceOf(RegistrationRefusedException.class).hasMessageContaining("--enroll-token");
        hub.registrations().admit(agent, GroupId.random(), token);

        assertThat(registry.isEnrolled(agent)).isTrue();
        hub.registrations().admit(agent, GroupId.random(), "");
        assertThat(presence.online(agent)).as("enrolled, but not connected").isFalse();
        assertThat(presence.online(hub.engine().nodeId())).as("the hub itself").isTrue();
    }
}
