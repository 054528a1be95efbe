package org.savesync.server;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
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
    HubService hub;

    @Inject
    NodeRegistry registry;

    @Inject
    Presence presence;

    @Test
    void readyWhenTheEngineRunsAndTheDatabaseAnswers() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("savesync hub"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsHaveTheHubsGaugesAndCounters() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("savesync_entries ", "savesync_chunks ", "savesync_chunk_bytes_stored ",
                "savesync_peers_connected ", "savesync_groups ",
                "savesync_transfer_bytes_total{direction=\"in\"}", "savesync_transfer_bytes_total{direction=\"out\"}",
                "savesync_entries_received_total ", "savesync_refusals_total{reason=\"bad_signature\"}",
                "savesync_refusals_total{reason=\"join_refused\"}");
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
