package org.savesync.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;

/**
 * A plaintext HTTP/2 gRPC channel to the hub's HTTP port on loopback, with blocking stubs of the
 * admin services that send {@code authorization: Bearer TOKEN} (none when the token is null).
 */
public final class AdminGrpcClient implements AutoCloseable {
    public final ManagedChannel channel;
    public final RetentionPoliciesGrpc.RetentionPoliciesBlockingStub retention;
    public final AuditLogGrpc.AuditLogBlockingStub audit;
    public final GroupAdminGrpc.GroupAdminBlockingStub groups;

    public AdminGrpcClient(int port, String bearerToken) {
        var builder = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
        if (bearerToken != null) {
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(bearer(bearerToken)));
        }
        channel = builder.build();
        retention = RetentionPoliciesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        audit = AuditLogGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        groups = GroupAdminGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** The call metadata that carries {@code token}. */
    static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
    }
}
