package org.savesync.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.membership.GroupId;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListRetentionPoliciesRequest;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;

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
            ManagedChannel anonymous = NettyChannelBuilder.forAddress("127.0.0.1", http).usePlaintext().build();
            String token = Files.readString(tmp.resolve("hub").resolve("admin-token")).strip();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", http).usePlaintext()
                    .intercept(MetadataUtils.newAttachHeadersInterceptor(bearer(token))).build();
            ManagedChannel forged = NettyChannelBuilder.forAddress("127.0.0.1", http).usePlaintext()
                    .intercept(MetadataUtils.newAttachHeadersInterceptor(bearer(token.substring(1) + "A"))).build();
            try {
                assertThat(services(anonymous)).as("reflection needs no token, like /q/openapi").contains(
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
                for (ManagedChannel c : List.of(anonymous, channel, forged)) {
                    c.shutdownNow();
                    c.awaitTermination(10, TimeUnit.SECONDS);
                }
            }
            hub.close();
            assertThat(hub.stderr()).as("nothing on stderr from a clean run").isBlank();
        }
    }

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }

    private static List<String> services(ManagedChannel channel) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        answer.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("no reflection answer"));
                    }
                });
        out.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        try {
            return answer.get(60, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                    .map(ServiceResponse::getName).toList();
        } finally {
            out.onCompleted();
        }
    }
}
