package org.savesync.server.grpc;

import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.EnrollmentAdmin;
import org.savesync.server.admin.EnrollmentView;
import org.savesync.server.admin.RotatedToken;
import org.savesync.server.grpc.v1.Enrollment;
import org.savesync.server.grpc.v1.ListEnrollmentsRequest;
import org.savesync.server.grpc.v1.ListEnrollmentsResponse;
import org.savesync.server.grpc.v1.RevokeEnrollmentRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenResponse;

/** The enrollment calls of {@code GroupAdmin} over {@link EnrollmentAdmin} (roles are on {@link GroupAdminService}). */
@ApplicationScoped
class EnrollmentCalls {
    private final EnrollmentAdmin enrollments;

    EnrollmentCalls(EnrollmentAdmin enrollments) {
        this.enrollments = enrollments;
    }

    void list(ListEnrollmentsRequest r, StreamObserver<ListEnrollmentsResponse> out) {
        var b = ListEnrollmentsResponse.newBuilder();
        enrollments.list().forEach(e -> b.addEnrollments(toWire(e)));
        AdminWire.reply(out, b.build());
    }

    void revoke(RevokeEnrollmentRequest r, StreamObserver<Enrollment> out) {
        AdminWire.reply(out, toWire(enrollments.revoke(AdminInput.node("nodeId", r.getNodeId()))));
    }

    void rotate(RotateEnrollmentTokenRequest r, StreamObserver<RotateEnrollmentTokenResponse> out) {
        RotatedToken t = enrollments.rotateToken();
        AdminWire.reply(out, RotateEnrollmentTokenResponse.newBuilder().setToken(t.token()).setFile(t.file())
                .setRotatedAt(AdminWire.toWire(t.rotatedAt())).build());
    }

    static Enrollment toWire(EnrollmentView e) {
        var b = Enrollment.newBuilder().setNodeId(e.nodeId()).setEnrolledAt(AdminWire.toWire(e.enrolledAt()))
                .setOnline(e.online()).addAllGroups(e.groups()).setRevoked(e.revoked());
        if (e.name() != null) {
            b.setName(e.name());
        }
        if (e.lastSeen() != null) {
            b.setLastSeen(AdminWire.toWire(e.lastSeen()));
        }
        if (e.revokedAt() != null) {
            b.setRevokedAt(AdminWire.toWire(e.revokedAt()));
        }
        if (e.revokedBy() != null) {
            b.setRevokedBy(e.revokedBy());
        }
        return b.build();
    }
}
