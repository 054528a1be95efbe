package org.savesync.server.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.savesync.core.membership.GroupId;
import org.savesync.server.config.HubConfig;
import org.savesync.server.grpc.AdminGrpcClient;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListGroupsRequest;
import org.savesync.server.grpc.v1.ListRetentionPoliciesRequest;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;

/**
 * The hub with an OIDC issuer: real signed JWTs (RS256) verified by Quarkus OIDC with the hub's
 * settings. The audience must be savesync-hub, roles come from realm_access.roles, and the local
 * admin token mode is off: no token file is made, and one put there is not taken.
 */
@QuarkusTest
@TestProfile(OidcModeProfile.class)
class OidcModeAuthTest {
    @Inject
    AuthMode mode;
    @Inject
    HubConfig config;
    @TestHTTPResource("/")
    URL root;

    private static JwtClaimsBuilder token(String audience, List<String> roles) {
        return Jwt.issuer(OidcModeProfile.ISSUER).subject("u-1").claim("preferred_username", "alice")
                .audience(audience).claim("realm_access", Map.of("roles", roles))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300));
    }

    private static String signed(JwtClaimsBuilder claims) {
        return claims.jws().keyId("k1").sign("auth/oidc-test-private.pem");
    }

    @Test
    void aViewerTokenForTheHubReadsTheApi() {
        given().auth().oauth2(signed(token("savesync-hub", List.of(Roles.VIEWER)))).get("/api/v1/groups")
                .then().statusCode(200);
        given().auth().oauth2(signed(token("savesync-hub", List.of(Roles.ADMIN)))).get("/api/v1/nodes")
                .then().statusCode(200);
    }

    @Test
    void aTokenWithoutTheApisRolesIs403InTheEnvelope() {
        given().auth().oauth2(signed(token("savesync-hub", List.of("offline_access")))).get("/api/v1/groups")
                .then().statusCode(403)
                .body("status", equalTo("error"))
                .body("error", containsString(Roles.VIEWER))
                .body("error", containsString("offline_access"));
    }

    @Test
    void aTokenForAnotherAudienceExpiredOrSignedByAnotherKeyIs401() {
        given().auth().oauth2(signed(token("another-app", List.of(Roles.ADMIN)))).get("/api/v1/groups")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo("error"))
                .body("error", containsString(OidcModeProfile.ISSUER));
        given().auth().oauth2(signed(token("savesync-hub", List.of(Roles.ADMIN))
                        .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))))
                .get("/api/v1/groups").then().statusCode(401);
        given().auth().oauth2(token("savesync-hub", List.of(Roles.ADMIN)).jws().keyId("k1")
                .sign("auth/oidc-other-private.pem")).get("/api/v1/groups").then().statusCode(401);
        given().get("/api/v1/groups").then().statusCode(401).body("error", containsString("needs authentication"));
    }

    /** The same rules over gRPC: a viewer reads and may not change, an admin changes, bad tokens are UNAUTHENTICATED. */
    @Test
    void grpcCallsFollowTheSameRoles() throws Exception {
        var unknownGroup = SetRetentionPolicyRequest.newBuilder().setGroupId(GroupId.random().toString()).setKeepDays(3)
                .build();
        try (var viewer = new AdminGrpcClient(root.getPort(), signed(token("savesync-hub", List.of(Roles.VIEWER))));
             var admin = new AdminGrpcClient(root.getPort(), signed(token("savesync-hub", List.of(Roles.ADMIN))));
             var anonymous = new AdminGrpcClient(root.getPort(), null);
             var otherAudience = new AdminGrpcClient(root.getPort(),
                     signed(token("another-app", List.of(Roles.ADMIN))))) {
            assertStatus(() -> admin.retention.setRetentionPolicy(unknownGroup), Status.Code.NOT_FOUND);
            assertThat(viewer.retention.listRetentionPolicies(ListRetentionPoliciesRequest.getDefaultInstance())
                    .getPoliciesList()).isNotNull();
            assertThat(viewer.groups.listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()).isNotNull();
            assertThat(viewer.audit.listAuditEvents(ListAuditEventsRequest.getDefaultInstance()).getEventsList())
                    .isNotNull();
            assertStatus(() -> viewer.retention.setRetentionPolicy(unknownGroup), Status.Code.PERMISSION_DENIED);
            assertStatus(() -> anonymous.retention.listRetentionPolicies(ListRetentionPoliciesRequest.getDefaultInstance()),
                    Status.Code.UNAUTHENTICATED);
            assertStatus(() -> otherAudience.groups.listGroups(ListGroupsRequest.getDefaultInstance()),
                    Status.Code.UNAUTHENTICATED);
        }
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
    }

    @Test
    void theLocalAdminTokenIsNeitherMadeNorTaken() throws Exception {
        assertThat(mode.issuer()).contains(OidcModeProfile.ISSUER);
        assertThat(mode.localToken()).isEmpty();
        Path file = config.dataDir().resolve(AdminToken.FILE);
        assertThat(file).doesNotExist();
        String planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        Files.writeString(file, planted + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try {
            given().auth().oauth2(planted).get("/api/v1/groups").then().statusCode(401)
                    .body("status", equalTo("error"));
        } finally {
            Files.delete(file);
        }
    }
}
