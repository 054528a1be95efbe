package org.savesync.server.testing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What the gRPC tests share: channels that send a bearer token, and questions to the server's reflection service. */
public final class GrpcTesting {
    private GrpcTesting() {
    }

    /** A plaintext channel to the hub's HTTP port on loopback that sends {@code authorization: Bearer TOKEN} (none when null). */
    public static ManagedChannel channel(int port, String bearerToken) {
        var b = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
        if (bearerToken != null) {
            Metadata m = new Metadata();
            m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearerToken);
            b.intercept(MetadataUtils.newAttachHeadersInterceptor(m));
        }
        return b.build();
    }

    /** Shuts {@code channels} down and waits for them. */
    public static void close(ManagedChannel... channels) throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
            c.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** One question to the reflection service, and its answer. */
    public static ServerReflectionResponse reflect(ManagedChannel channel, ServerReflectionRequest request)
            throws Exception {
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
        out.onNext(request);
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } finally {
            out.onCompleted();
        }
    }

    /** The full names of the services the server lists. */
    public static List<String> services(ManagedChannel channel) throws Exception {
        return reflect(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
                .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
    }
}
