package org.savesync.server.grpc;

import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.savesync.server.grpc.v1.AuditLogGrpc;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;
import org.savesync.server.testing.GrpcTesting;

/**
 * A plaintext HTTP/2 gRPC channel to the hub's HTTP port on loopback, with blocking stubs of the
 * admin services that send {@code authorization: Bearer TOKEN} (none when the token is null).
 */
public final class AdminGrpcClient implements AutoCloseable {
    public final ManagedChannel channel;
    public final RetentionPoliciesGrpc.RetentionPoliciesBlockingStub retention;
    public final AuditLogGrpc.AuditLogBlockingStub audit;
    public final GroupAdminGrpc.GroupAdminBlockingStub groups;
    public final org.savesync.server.grpc.v1.BackupsGrpc.BackupsBlockingStub backups;

    public AdminGrpcClient(int port, String bearerToken) {
        channel = GrpcTesting.channel(port, bearerToken);
        retention = RetentionPoliciesGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        audit = AuditLogGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        groups = GroupAdminGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        backups = org.savesync.server.grpc.v1.BackupsGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        GrpcTesting.close(channel);
    }
}
