package org.savesync.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;

/** A plaintext HTTP/2 gRPC channel to the hub's HTTP port on loopback, with blocking stubs of the admin services. */
final class AdminGrpcClient implements AutoCloseable {
    final ManagedChannel channel;
    final RetentionPoliciesGrpc.RetentionPoliciesBlockingStub retention;
    final AuditLogGrpc.AuditLogBlockingStub audit;
    final GroupAdminGrpc.GroupAdminBlockingStub groups;

    AdminGrpcClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        retention = RetentionPoliciesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        audit = AuditLogGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        groups = GroupAdminGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
    }
}
