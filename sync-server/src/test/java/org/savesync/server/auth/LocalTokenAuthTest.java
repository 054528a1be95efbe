package org.savesync.server.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * The hub with no OIDC issuer: the admin API takes exactly the local admin token that the hub
 * wrote to its data dir at startup, and every refusal comes in the API's error envelope.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class LocalTokenAuthTest {
    @Inject
    AuthMode mode;

    private String token() throws Exception {
        return Files.readString(mode.localToken().orElseThrow().file()).strip();
    }

    @Test
    void theTokenFileIsOwnerOnlyInTheDataDirAnd256BitsOfBase64url() throws Exception {
        assertThat(mode.issuer()).isEmpty();
        Path file = mode.localToken().orElseThrow().file();
        assertThat(file.getFileName().toString()).isEqualTo(AdminToken.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(token()).matches("[A-Za-z0-9_-]{43,}");
    }

    @Test
    void withoutATokenTheApiAnswers401WithABearerChallengeInTheEnvelope() {
        given().get("/api/v1/groups").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo("error"))
                .body("error", containsString("needs authentication"))
                .body("error", containsString("admin-token"));
        given().get("/api/v1/no-such-thing").then().statusCode(401).body("status", equalTo("error"));
    }

    @Test
    void aWrongTokenOrAnotherSchemeIs401() throws Exception {
        String good = token();
        given().header("Authorization", "Bearer " + good.substring(1)).get("/api/v1/groups").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo("error"))
                .body("error", containsString("not this hub's local admin token"));
        given().header("Authorization", "Bearer " + good + "x").get("/api/v1/nodes").then().statusCode(401);
        given().header("Authorization", "Bearer").get("/api/v1/nodes").then().statusCode(401);
        given().header("Authorization", "Basic " + good).get("/api/v1/nodes").then().statusCode(401)
                .body("status", equalTo("error"));
        given().header("Authorization", "Bearer " + "a".repeat(20_000)).get("/api/v1/nodes").then().statusCode(401);
    }

    @Test
    void theTokenAuthenticatesAsLocalAdmin() throws Exception {
        String good = token();
        given().header("Authorization", "Bearer " + good).get("/api/v1/groups").then().statusCode(200);
        given().header("Authorization", "bearer  " + good).get("/api/v1/nodes").then().statusCode(200);
        given().header("Authorization", "Bearer " + good).get("/api/v1/no-such-thing").then().statusCode(404)
                .body("status", equalTo("error"));
    }

    @Test
    void theHostGuardStillComesFirst() throws Exception {
        given().header("Authorization", "Bearer " + token()).header("Host", "rebound.attacker.example")
                .get("/api/v1/groups").then().statusCode(403)
                .body("error", containsString("is not a name of this hub"));
    }

    @Test
    void theStartupLineNamesTheFileButNotTheToken() throws Exception {
        var printed = new java.io.ByteArrayOutputStream();
        mode.announce(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        String line = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("admin token: " + mode.localToken().orElseThrow().file() + "\n");
        assertThat(line).doesNotContain(token());
    }
}
