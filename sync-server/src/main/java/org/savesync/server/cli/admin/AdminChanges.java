package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import org.savesync.server.grpc.v1.RevokeEnrollmentRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The admin subcommands that change enrollment (each audited by the hub). */
final class AdminChanges {
    private AdminChanges() {
    }

    @Command(name = "revoke-enrollment", description = "Revokes a node's enrollment: its groups stay and keep"
            + " syncing, it can no longer register new groups")
    static final class RevokeEnrollment extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "NODE", description = "the node id (see `enrollments`)")
        String node;

        @Override
        void run(ManagedChannel c, Output out) {
            var e = AdminLists.groups(c).revokeEnrollment(RevokeEnrollmentRequest.newBuilder().setNodeId(node).build());
            out.print(e, w -> w.printf("revoked %s (%s) at %s by %s%n", e.getNodeId(), Output.orDash(e.getName()),
                    Output.time(e.hasRevokedAt(), e.getRevokedAt()), Output.orDash(e.getRevokedBy())));
        }
    }

    @Command(name = "rotate-enrollment-token", description = "Replaces the enrollment token with a new one and prints"
            + " it (this once); the old one stops working at once, enrolled agents are not affected")
    static final class RotateEnrollmentToken extends AdminCommand.AdminCall {
        @Override
        void run(ManagedChannel c, Output out) {
            var t = AdminLists.groups(c).rotateEnrollmentToken(RotateEnrollmentTokenRequest.getDefaultInstance());
            out.print(t, w -> {
                w.println(t.getToken());
                err().printf("the new enrollment token (above) is also in %s on the hub; agents enroll with"
                        + " `savesync run --hub ... --enroll-token TOKEN`%n", t.getFile());
                err().flush();
            });
        }
    }
}
