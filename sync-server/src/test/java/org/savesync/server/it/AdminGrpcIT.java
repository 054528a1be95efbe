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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.membership.GroupId;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListRetentionPoliciesRequest;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;
import org.savesync.server.testing.GrpcTesting;

/**
 * The packaged hub in a process of its own (embedded PostgreSQL, loopback): its HTTP port
 * answers gRPC, reflection lists the admin services, and refusals carry their status and
 * message; a clean stop leaves nothing on stderr.
 */
class AdminGrpcIT {
    private static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void thePackagedHubServesTheAdminGrpcApiOnItsHttpPort() throws Exception {
        int http = HubProcess.freeTcpPort();
        int management = HubProcess.freeTcpPort();
        int udp;
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp = d.getLocalPort();
        }
        try (HubProcess hub = HubProcess.start(Path.of("target", "it-logs"), "hub-grpc", List.of("--data-dir",
                tmp.resolve("hub").toString(), "--listen", "127.0.0.1:" + udp, "--http-port", Integer.toString(http),
                "--management-port", Integer.toString(management)), Map.of())) {
            await("the hub's health on the management port").atMost(START).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(ConnectException.class).until(() -> {
                        assertThat(hub.isAlive()).as("hub exited: " + hub.stderr()).isTrue();
                        return RawHttp.get("127.0.0.1", management, "/q/health/ready", "localhost").status() == 200;
                    });
            ManagedChannel anonymous = GrpcTesting.channel(http, null);
            String token = Files.readString(tmp.resolve("hub").resolve("admin-token")).strip();
            ManagedChannel channel = GrpcTesting.channel(http, token);
            ManagedChannel forged = GrpcTesting.channel(http, token.substring(1) + "A");
            try {
                assertThat(GrpcTesting.services(anonymous)).as("reflection needs no token, like /q/openapi").contains(
                        "savesync.admin.v1.RetentionPolicies", "savesync.admin.v1.AuditLog",
                        "savesync.admin.v1.GroupAdmin");
                for (ManagedChannel c : List.of(anonymous, forged)) {
                    assertThatThrownBy(() -> RetentionPoliciesGrpc.newBlockingStub(c).withDeadlineAfter(60,
                            TimeUnit.SECONDS).listRetentionPolicies(ListRetentionPoliciesRequest.getDefaultInstance()))
                            .as(c == anonymous ? "no token" : "a wrong token")
                            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                                    e.getStatus().getCode()).as(e.getStatus().toString())
                                    .isEqualTo(Status.Code.UNAUTHENTICATED));
                }
                var retention = RetentionPoliciesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                assertThat(retention.listRetentionPolicies(ListRetentionPoliciesRequest.getDefaultInstance())
                        .getPoliciesList()).as("a new hub holds no groups").isEmpty();
                GroupId unknown = GroupId.random();
                assertThatThrownBy(() -> retention.setRetentionPolicy(SetRetentionPolicyRequest.newBuilder()
                        .setGroupId(unknown.toString()).setKeepDays(5).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                            assertThat(e.getStatus().getDescription()).contains("holds no group " + unknown);
                        });
                assertThat(AuditLogGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .listAuditEvents(ListAuditEventsRequest.getDefaultInstance()).getEventsList())
                        .as("a refused change is not recorded").isEmpty();
            } finally {
                GrpcTesting.close(anonymous, channel, forged);
            }
            hub.close();
            assertThat(hub.stderr()).as("nothing on stderr from a clean run").isBlank();
        }
    }
}
