package org.savesync.server.grpc;

import jakarta.annotation.security.RolesAllowed;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.GroupDirectory;
import org.savesync.server.grpc.v1.Enrollment;
import org.savesync.server.grpc.v1.GetGroupRequest;
import org.savesync.server.grpc.v1.HubEvent;
import org.savesync.server.grpc.v1.ListEnrollmentsRequest;
import org.savesync.server.grpc.v1.ListEnrollmentsResponse;
import org.savesync.server.grpc.v1.RevokeEnrollmentRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenResponse;
import org.savesync.server.grpc.v1.WatchEventsRequest;
import org.savesync.server.grpc.v1.Group;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.ListGroupsRequest;
import org.savesync.server.grpc.v1.ListGroupsResponse;
import org.savesync.server.grpc.v1.ListMembersRequest;
import org.savesync.server.grpc.v1.ListMembersResponse;
import org.savesync.server.grpc.v1.ListNodesRequest;
import org.savesync.server.grpc.v1.ListNodesResponse;
import org.savesync.core.engine.Removal;
import org.savesync.server.admin.Members;
import org.savesync.server.auth.Roles;
import org.savesync.server.grpc.v1.RemoveMemberRequest;
import org.savesync.server.grpc.v1.RemoveMemberResponse;
import org.savesync.server.grpc.v1.CreateInviteRequest;
import org.savesync.server.grpc.v1.CreateInviteResponse;
import org.savesync.server.grpc.v1.Invite;
import org.savesync.server.grpc.v1.ListInvitesRequest;
import org.savesync.server.grpc.v1.ListInvitesResponse;
import org.savesync.server.grpc.v1.RevokeInviteRequest;

/**
 * {@code savesync.admin.v1.GroupAdmin}: the groups, members and nodes of {@link GroupDirectory};
 * invites ({@link InviteRpcs}: admins make and revoke, viewers list), removal ({@link Members}), enrollment ({@link
 * EnrollmentCalls}) and the event stream ({@link EventStream}) delegated.
 */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@GrpcService
@Blocking
@io.quarkus.grpc.RegisterInterceptor(StreamMark.class)
public class GroupAdminService extends GroupAdminGrpc.GroupAdminImplBase {
    private final GroupDirectory directory;
    private final EnrollmentCalls enrollments;
    private final EventStream events;
    private final InviteRpcs invites;
    private final Members members;

    GroupAdminService(GroupDirectory directory, InviteRpcs invites, Members members, EnrollmentCalls enrollments,
                      EventStream events) {
        this.directory = directory;
        this.members = members;
        this.invites = invites;
        this.enrollments = enrollments;
        this.events = events;
    }

    @Override
    public void listGroups(ListGroupsRequest r, StreamObserver<ListGroupsResponse> out) {
        var b = ListGroupsResponse.newBuilder();
        directory.groups().forEach(g -> b.addGroups(AdminWire.toWire(g)));
        AdminWire.reply(out, b.build());
    }

    @Override
    public void getGroup(GetGroupRequest r, StreamObserver<Group> out) {
        AdminWire.reply(out, AdminWire.toWire(directory.group(AdminInput.group("groupId",
                r.getGroupId()))));
    }

    @Override
    public void listMembers(ListMembersRequest r, StreamObserver<ListMembersResponse> out) {
        var b = ListMembersResponse.newBuilder();
        directory.members(AdminInput.group("groupId", r.getGroupId())).forEach(m -> b.addMembers(AdminWire.toWire(m)));
        AdminWire.reply(out, b.build());
    }

    @Override
    public void listNodes(ListNodesRequest r, StreamObserver<ListNodesResponse> out) {
        var b = ListNodesResponse.newBuilder();
        directory.nodes().forEach(n -> b.addNodes(AdminWire.toWire(n)));
        AdminWire.reply(out, b.build());
    }

    // invites

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void createInvite(CreateInviteRequest r, StreamObserver<CreateInviteResponse> out) {
        AdminWire.reply(out, invites.create(r));
    }

    @Override
    public void listInvites(ListInvitesRequest r, StreamObserver<ListInvitesResponse> out) {
        AdminWire.reply(out, invites.list(r));
    }

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void revokeInvite(RevokeInviteRequest r, StreamObserver<Invite> out) {
        AdminWire.reply(out, invites.revoke(r));
    }

    // removal

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void removeMember(RemoveMemberRequest r, StreamObserver<RemoveMemberResponse> out) {
        Removal done = members.remove(AdminInput.group("groupId", r.getGroupId()),
                AdminInput.node("nodeId", r.getNodeId()));
        AdminWire.reply(out, RemoveMemberResponse.newBuilder().setGroupId(done.group().toString())
                .setNodeId(done.node().toString()).setName(done.name()).setMemberListVersion(done.listVersion())
                .setSecretEpoch(done.secretEpoch()).build());
    }

    // enrollment

    @Override
    public void listEnrollments(ListEnrollmentsRequest r, StreamObserver<ListEnrollmentsResponse> out) {
        enrollments.list(r, out);
    }

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void revokeEnrollment(RevokeEnrollmentRequest r, StreamObserver<Enrollment> out) {
        enrollments.revoke(r, out);
    }

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void rotateEnrollmentToken(RotateEnrollmentTokenRequest r, StreamObserver<RotateEnrollmentTokenResponse> out) {
        enrollments.rotate(r, out);
    }

    // events

    @Override
    public void watchEvents(WatchEventsRequest r, StreamObserver<HubEvent> out) {
        events.watch(r, out);
    }
}
