package org.savesync.server.grpc;

import jakarta.annotation.security.RolesAllowed;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.grpc.v1.DeleteRetentionPolicyRequest;
import org.savesync.server.grpc.v1.DeleteRetentionPolicyResponse;
import org.savesync.server.grpc.v1.GetRetentionPolicyRequest;
import org.savesync.server.grpc.v1.ListRetentionPoliciesRequest;
import org.savesync.server.grpc.v1.ListRetentionPoliciesResponse;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;
import org.savesync.server.auth.Roles;

/** {@code savesync.admin.v1.RetentionPolicies} over {@link RetentionPolicies}; failures map in {@link AdminStatus}. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@GrpcService
@Blocking
public class RetentionPoliciesService extends RetentionPoliciesGrpc.RetentionPoliciesImplBase {
    private final RetentionPolicies policies;

    RetentionPoliciesService(RetentionPolicies policies) {
        this.policies = policies;
    }

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void setRetentionPolicy(SetRetentionPolicyRequest r,
                                   StreamObserver<org.savesync.server.grpc.v1.RetentionPolicy> out) {
        RetentionPolicy.Change change = new RetentionPolicy.Change(
                r.hasKeepVersions() ? Long.valueOf(r.getKeepVersions()) : null,
                r.hasKeepDays() ? Long.valueOf(r.getKeepDays()) : null,
                r.hasQuotaBytes() ? Long.valueOf(r.getQuotaBytes()) : null,
                r.hasExpectedVersion() ? Long.valueOf(r.getExpectedVersion()) : null);
        AdminWire.reply(out, AdminWire.toWire(policies.set(AdminInput.group("groupId", r.getGroupId()), change)));
    }

    @Override
    public void getRetentionPolicy(GetRetentionPolicyRequest r,
                                   StreamObserver<org.savesync.server.grpc.v1.RetentionPolicy> out) {
        AdminWire.reply(out, AdminWire.toWire(policies.get(AdminInput.group("groupId", r.getGroupId()))));
    }

    @Override
    public void listRetentionPolicies(ListRetentionPoliciesRequest r, StreamObserver<ListRetentionPoliciesResponse> out) {
        var b = ListRetentionPoliciesResponse.newBuilder();
        policies.list().forEach(p -> b.addPolicies(AdminWire.toWire(p)));
        AdminWire.reply(out, b.build());
    }

    @Override
    @RolesAllowed(Roles.ADMIN)
    public void deleteRetentionPolicy(DeleteRetentionPolicyRequest r, StreamObserver<DeleteRetentionPolicyResponse> out) {
        RetentionPolicy deleted = policies.delete(AdminInput.group("groupId", r.getGroupId()),
                r.hasExpectedVersion() ? Long.valueOf(r.getExpectedVersion()) : null);
        AdminWire.reply(out, DeleteRetentionPolicyResponse.newBuilder().setDeleted(AdminWire.toWire(deleted)).build());
    }
}
