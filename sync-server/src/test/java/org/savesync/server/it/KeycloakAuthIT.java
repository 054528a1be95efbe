package org.savesync.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.savesync.core.membership.GroupId;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.ListGroupsRequest;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;
import org.savesync.server.testing.GrpcTesting;
import org.savesync.server.testing.Keycloak;

/**
 * The packaged hub pointed at the real Keycloak of {@code deploy/keycloak}
 * ({@code QUARKUS_OIDC_AUTH_SERVER_URL}, nothing else): over REST and gRPC, no token, a token of
 * another realm, an expired token and one with a broken signature are refused as
 * unauthenticated; a viewer reads and may not change; an admin (a user, or the admin CLI's
 * service account) changes.
 */
class KeycloakAuthIT {
    private static final Duration START = Duration.ofMinutes(3);
    private static Keycloak keycloak;
    private static HubProcess hub;
    private static Path dir;
    private static int http;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void hubWithKeycloak() throws Exception {
        keycloak = Keycloak.get();
        dir = Files.createTempDirectory("keycloak-auth-it");
        http = HubProcess.freeTcpPort();
        int management = HubProcess.freeTcpPort();
        int udp;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp = d.getLocalPort();
        }
        hub = HubProcess.start(Path.of("target", "it-logs"), "hub-keycloak", List.of("--data-dir",
                dir.resolve("hub").toString(), "--listen", "127.0.0.1:" + udp, "--http-port", Integer.toString(http),
                "--management-port", Integer.toString(management)),
                Map.of("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer().toString()));
        await("the hub's health").atMost(START).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(ConnectException.class).until(() -> {
                    assertThat(hub.isAlive()).as("hub exited: " + hub.stderr()).isTrue();
                    return RawHttp.get("127.0.0.1", management, "/q/health/ready", "localhost").status() == 200;
                });
        assertThat(dir.resolve("hub").resolve("admin-token")).as("no local admin token with an issuer").doesNotExist();
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The tokens a caller might send that must be refused as unauthenticated, by what is wrong with them. */
    private static Map<String, String> badTokens() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no token", null);
        bad.put("a token of another realm", keycloak.otherRealmAdminToken());
        bad.put("an expired token", keycloak.expiredAdminToken());
        String good = keycloak.adminToken();
        int sig = good.lastIndexOf('.') + 10;
        bad.put("a token with a broken signature",
                good.substring(0, sig) + (good.charAt(sig) == 'A' ? 'B' : 'A') + good.substring(sig + 1));
        return bad;
    }

    private static HttpResponse<String> rest(String method, String path, String token, String json) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void restFollowsTheRealmsRoles() throws Exception {
        String unknownGroup = "/api/v1/groups/" + GroupId.random() + "/retention";
        for (var bad : badTokens().entrySet()) {
            var r = rest("GET", "/api/v1/groups", bad.getValue(), null);
            assertThat(r.statusCode()).as(bad.getKey() + ": " + r.body()).isEqualTo(401);
            assertThat(r.body()).as(bad.getKey()).contains("\"status\":\"error\"");
            assertThat(rest("PUT", unknownGroup, bad.getValue(), "{\"keepDays\":3}").statusCode()).as(bad.getKey())
                    .isEqualTo(401);
        }
        String viewer = keycloak.viewerToken();
        assertThat(rest("GET", "/api/v1/groups", viewer, null).statusCode()).as("a viewer reads").isEqualTo(200);
        var denied = rest("PUT", unknownGroup, viewer, "{\"keepDays\":3}");
        assertThat(denied.statusCode()).as("a viewer may not change: " + denied.body()).isEqualTo(403);
        assertThat(denied.body()).contains("sync-admin");
        for (String admin : List.of(keycloak.adminToken(), keycloak.clientCredentialsToken())) {
            assertThat(rest("GET", "/api/v1/nodes", admin, null).statusCode()).isEqualTo(200);
            var changed = rest("PUT", unknownGroup, admin, "{\"keepDays\":3}");
            assertThat(changed.statusCode()).as("an admin passes the role rule, then meets the unknown group: "
                    + changed.body()).isEqualTo(404);
        }
    }

    @Test
    void grpcFollowsTheRealmsRoles() throws Exception {
        var unknownGroup = SetRetentionPolicyRequest.newBuilder().setGroupId(GroupId.random().toString())
                .setKeepDays(3).build();
        for (var bad : badTokens().entrySet()) {
            try (var c = new Channel(bad.getValue())) {
                assertCode(bad.getKey(), () -> c.groups().listGroups(ListGroupsRequest.getDefaultInstance()),
                        Status.Code.UNAUTHENTICATED);
                assertCode(bad.getKey(), () -> c.retention().setRetentionPolicy(unknownGroup),
                        Status.Code.UNAUTHENTICATED);
            }
        }
        try (var viewer = new Channel(keycloak.viewerToken())) {
            assertThat(viewer.groups().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()).isNotNull();
            assertCode("a viewer changing", () -> viewer.retention().setRetentionPolicy(unknownGroup),
                    Status.Code.PERMISSION_DENIED);
        }
        for (String admin : List.of(keycloak.adminToken(), keycloak.clientCredentialsToken())) {
            try (var c = new Channel(admin)) {
                assertCode("an admin changing an unknown group", () -> c.retention().setRetentionPolicy(unknownGroup),
                        Status.Code.NOT_FOUND);
            }
        }
    }

    private static void assertCode(String what, org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            Status.Code code) {
        assertThatThrownBy(call).as(what).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).as(what + ": " + e.getStatus()).isEqualTo(code));
    }

    /** A gRPC channel to the hub that sends {@code token} (none when null). */
    private static final class Channel implements AutoCloseable {
        private final ManagedChannel channel;

        Channel(String token) {
            channel = GrpcTesting.channel(http, token);
        }

        GroupAdminGrpc.GroupAdminBlockingStub groups() {
            return GroupAdminGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        }

        RetentionPoliciesGrpc.RetentionPoliciesBlockingStub retention() {
            return RetentionPoliciesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            GrpcTesting.close(channel);
        }
    }
}
