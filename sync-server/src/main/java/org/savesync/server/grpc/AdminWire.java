package org.savesync.server.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import org.savesync.server.admin.AdminException;
import org.savesync.server.admin.AuditEvent;
import org.savesync.server.admin.GroupSummary;
import org.savesync.server.admin.MemberView;
import org.savesync.server.admin.NodeView;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.grpc.v1.Group;
import org.savesync.server.grpc.v1.Member;
import org.savesync.server.grpc.v1.MemberRole;
import org.savesync.server.grpc.v1.Node;

/** Maps the admin domain to the generated {@code savesync.admin.v1} messages and back. */
final class AdminWire {
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range protobuf's Timestamp allows. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private AdminWire() {
    }

    /** Answers a unary call with {@code message}. */
    static <T> void reply(StreamObserver<T> out, T message) {
        out.onNext(message);
        out.onCompleted();
    }

    static Timestamp toWire(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    /** A timestamp a client sent; INVALID_ARGUMENT naming {@code field} when out of Timestamp's range. */
    static Instant fromWire(String field, Timestamp t) {
        if (t.getSeconds() < MIN_SECONDS || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0
                || t.getNanos() > 999_999_999) {
            throw AdminException.invalid(field, "not a valid timestamp (seconds " + t.getSeconds() + ", nanos "
                    + t.getNanos() + "); give a time between 0001-01-01 and 9999-12-31");
        }
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    static org.savesync.server.grpc.v1.RetentionPolicy toWire(RetentionPolicy p) {
        var b = org.savesync.server.grpc.v1.RetentionPolicy.newBuilder().setGroupId(p.group().toString())
                .setKeepVersions(p.keepVersions()).setKeepDays(p.keepDays()).setQuotaBytes(p.quotaBytes())
                .setVersion(p.version()).setDefaults(p.isDefault());
        if (p.updatedBy() != null) {
            b.setUpdatedBy(p.updatedBy());
        }
        if (p.updatedAt() != null) {
            b.setUpdatedAt(toWire(p.updatedAt()));
        }
        return b.build();
    }

    static org.savesync.server.grpc.v1.AuditEvent toWire(AuditEvent e) {
        var b = org.savesync.server.grpc.v1.AuditEvent.newBuilder().setId(e.id()).setAt(toWire(e.at()))
                .setActor(e.actor()).setAction(e.action());
        if (e.group() != null) {
            b.setGroupId(e.group().toString());
        }
        if (e.node() != null) {
            b.setNodeId(e.node().toString());
        }
        if (e.beforeJson() != null) {
            b.setBeforeJson(e.beforeJson());
        }
        if (e.afterJson() != null) {
            b.setAfterJson(e.afterJson());
        }
        return b.build();
    }

    static Group toWire(GroupSummary g) {
        return Group.newBuilder().setId(g.id()).setName(g.name()).setAuthority(g.authority()).setMembers(g.members())
                .setMemberListVersion(g.memberListVersion()).setEntries(g.entries()).setFiles(g.files())
                .setBytes(g.bytes()).setBytesStored(g.bytesStored()).setFilesComplete(g.filesComplete())
                .setFilesIncomplete(g.filesIncomplete()).build();
    }

    static Member toWire(MemberView m) {
        var b = Member.newBuilder().setNodeId(m.nodeId()).setName(m.name()).setRole(role(m.role()))
                .setAddedAt(toWire(m.addedAt())).setOnline(m.online()).setUpToDate(m.upToDate());
        if (m.lastSeen() != null) {
            b.setLastSeen(toWire(m.lastSeen()));
        }
        if (m.bytesHeld() != null) {
            b.setBytesHeld(m.bytesHeld());
        }
        return b.build();
    }

    private static MemberRole role(String role) {
        return switch (role) {
            case "OWNER" -> MemberRole.MEMBER_ROLE_OWNER;
            case "MEMBER" -> MemberRole.MEMBER_ROLE_MEMBER;
            case "READER" -> MemberRole.MEMBER_ROLE_READER;
            case "HUB" -> MemberRole.MEMBER_ROLE_HUB;
            default -> throw new IllegalStateException("no wire role for the member role " + role);
        };
    }

    static Node toWire(NodeView n) {
        var b = Node.newBuilder().setNodeId(n.nodeId()).setHub(n.hub()).setEnrolled(n.enrolled())
                .setOnline(n.online()).addAllGroups(n.groups()).addAllAddresses(n.addresses());
        if (n.name() != null) {
            b.setName(n.name());
        }
        if (n.enrolledAt() != null) {
            b.setEnrolledAt(toWire(n.enrolledAt()));
        }
        if (n.lastSeen() != null) {
            b.setLastSeen(toWire(n.lastSeen()));
        }
        return b.build();
    }
}
