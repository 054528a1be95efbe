package org.savesync.server.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.savesync.core.membership.GroupId;
import org.savesync.server.grpc.AdminGrpcClient;
import org.savesync.server.grpc.v1.CreateInviteRequest;
import org.savesync.server.grpc.v1.ListInvitesRequest;
import org.savesync.server.grpc.v1.RevokeInviteRequest;

/**
 * The invite endpoints under OIDC: a viewer lists invites and may neither make nor revoke one
 * (403 / PERMISSION_DENIED); an admin gets past the role check (here to the group's NOT_FOUND).
 */
@QuarkusTest
@TestProfile(OidcModeProfile.class)
class InviteRolesTest {
    private static final String SOME_ID = "aaaaaaaaaaaaaaaaaaaa";

    @TestHTTPResource("/")
    URL root;

    private static String token(String role) {
        return Jwt.issuer(OidcModeProfile.ISSUER).subject("u-1").claim("preferred_username", "alice")
                .audience("savesync-hub").claim("realm_access", Map.of("roles", List.of(role)))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300))
                .jws().keyId("k1").sign("auth/oidc-test-private.pem");
    }

    @Test
    void aViewerListsAndAnAdminChanges() {
        String path = "/api/v1/groups/" + GroupId.random() + "/invites";
        String viewer = token(Roles.VIEWER);
        String admin = token(Roles.ADMIN);
        given().auth().oauth2(viewer).get(path).then().statusCode(404);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of()).post(path).then().statusCode(403);
        given().auth().oauth2(viewer).delete(path + "/" + SOME_ID).then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of()).post(path).then().statusCode(404);
        given().auth().oauth2(admin).delete(path + "/" + SOME_ID).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of()).post(path).then().statusCode(401);
    }

    @Test
    void theSameOverGrpc() throws Exception {
        String group = GroupId.random().toString();
        try (var viewer = new AdminGrpcClient(root.getPort(), token(Roles.VIEWER));
             var admin = new AdminGrpcClient(root.getPort(), token(Roles.ADMIN))) {
            assertStatus(() -> viewer.groups.listInvites(ListInvitesRequest.newBuilder().setGroupId(group).build()),
                    Status.Code.NOT_FOUND);
            assertStatus(() -> viewer.groups.createInvite(CreateInviteRequest.newBuilder().setGroupId(group).build()),
                    Status.Code.PERMISSION_DENIED);
            assertStatus(() -> viewer.groups.revokeInvite(RevokeInviteRequest.newBuilder().setGroupId(group)
                    .setInviteId(SOME_ID).build()), Status.Code.PERMISSION_DENIED);
            assertStatus(() -> admin.groups.createInvite(CreateInviteRequest.newBuilder().setGroupId(group).build()),
                    Status.Code.NOT_FOUND);
            assertStatus(() -> admin.groups.revokeInvite(RevokeInviteRequest.newBuilder().setGroupId(group)
                    .setInviteId(SOME_ID).build()), Status.Code.NOT_FOUND);
        }
    }

    private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
    }
}
