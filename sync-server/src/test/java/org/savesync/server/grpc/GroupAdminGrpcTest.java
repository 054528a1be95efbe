package org.savesync.server.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.testing.GrpcTesting;
import org.savesync.server.testing.ApiAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.server.grpc.v1.GetGroupRequest;
import org.savesync.server.grpc.v1.Group;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.ListGroupsRequest;
import org.savesync.server.grpc.v1.ListMembersRequest;
import org.savesync.server.grpc.v1.ListNodesRequest;
import org.savesync.server.grpc.v1.Member;
import org.savesync.server.grpc.v1.MemberRole;
import org.savesync.server.grpc.v1.Node;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * GroupAdmin shows what the REST views show; reflection lists the admin services with exactly
 * the RPCs they implement; gRPC sits behind the HTTP port's Host check.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class GroupAdminGrpcTest {
    @Inject
    PgStores stores;

    @Inject
    AuthMode auth;

    @TestHTTPResource("/")
    URL root;

    private final NodeKey hub = NodeKey.generate();
    private final NodeKey owner = NodeKey.generate();
    private final NodeKey member = NodeKey.generate();
    private AdminGrpcClient grpc;
    private GroupId group;

    @BeforeEach
    void hubWithAGroup() {
        ApiAuth.sendLocalToken(auth);
        grpc = new AdminGrpcClient(root.getPort(), ApiAuth.localToken(auth));
        group = TestGroups.create(stores, "photos", hub, owner, member);
    }

    @AfterEach
    void close() throws Exception {
        ApiAuth.reset();
        grpc.close();
    }

    @Test
    void groupsHaveTheFieldsOfTheRestView() {
        Group g = grpc.groups.getGroup(GetGroupRequest.newBuilder().setGroupId(group.toString()).build());
        JsonPath rest = given().get("/api/v1/groups/" + group).then().statusCode(200).extract().jsonPath();
        assertThat(g.getId()).isEqualTo(rest.getString("id")).isEqualTo(group.toString());
        assertThat(g.getName()).isEqualTo(rest.getString("name")).isEqualTo("photos");
        assertThat(g.getAuthority()).isEqualTo(rest.getString("authority")).isEqualTo(hub.nodeId().toString());
        assertThat(g.getMembers()).isEqualTo(rest.getInt("members")).isEqualTo(3);
        assertThat(g.getMemberListVersion()).isEqualTo(rest.getLong("memberListVersion")).isEqualTo(2);
        assertThat(List.of(g.getEntries(), g.getFiles(), g.getBytes(), g.getBytesStored(), g.getFilesComplete(),
                g.getFilesIncomplete())).containsExactly(rest.getLong("entries"), rest.getLong("files"),
                rest.getLong("bytes"), rest.getLong("bytesStored"), rest.getLong("filesComplete"),
                rest.getLong("filesIncomplete"));
        assertThat(grpc.groups.listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList()).contains(g);

        assertThatThrownBy(() -> grpc.groups.getGroup(GetGroupRequest.newBuilder().setGroupId(GroupId.random()
                .toString()).build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> grpc.groups.listMembers(ListMembersRequest.newBuilder().setGroupId("").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("groupId:");
                });
    }

    @Test
    void membersAndNodesHaveTheFieldsOfTheRestViews() {
        List<Member> members = grpc.groups.listMembers(ListMembersRequest.newBuilder().setGroupId(group.toString())
                .build()).getMembersList();
        List<Map<String, Object>> rest = given().get("/api/v1/groups/" + group + "/members").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(members).hasSameSizeAs(rest).hasSize(3);
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            Map<String, Object> r = rest.get(i);
            assertThat(m.getNodeId()).isEqualTo(r.get("nodeId"));
            assertThat(m.getName()).isEqualTo(r.get("name"));
            assertThat(m.getRole()).isEqualTo(MemberRole.valueOf("MEMBER_ROLE_" + r.get("role")));
            assertThat(AdminWire.fromWire("addedAt", m.getAddedAt())).isEqualTo(Instant.parse((String) r.get("addedAt")));
            assertThat(m.getOnline()).isEqualTo(r.get("online"));
            assertThat(m.getUpToDate()).isEqualTo(r.get("upToDate"));
            assertThat(m.hasLastSeen()).isEqualTo(r.get("lastSeen") != null);
            assertThat(m.hasBytesHeld()).isEqualTo(r.get("bytesHeld") != null);
        }
        assertThat(members).filteredOn(m -> m.getRole() == MemberRole.MEMBER_ROLE_HUB).singleElement()
                .satisfies(m -> assertThat(m.getNodeId()).isEqualTo(hub.nodeId().toString()));

        List<Node> nodes = grpc.groups.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
        List<Map<String, Object>> restNodes = given().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath()
                .getList("$");
        for (NodeKey k : List.of(hub, owner, member)) {
            String id = k.nodeId().toString();
            Node n = nodes.stream().filter(x -> x.getNodeId().equals(id)).findFirst().orElseThrow();
            Map<String, Object> r = restNodes.stream().filter(x -> id.equals(x.get("nodeId"))).findFirst().orElseThrow();
            assertThat(n.getGroupsList()).isEqualTo(r.get("groups")).containsExactly(group.toString());
            assertThat(n.getName()).isEqualTo(r.get("name"));
            assertThat(n.getHub()).isEqualTo(r.get("hub"));
            assertThat(n.getEnrolled()).isEqualTo(r.get("enrolled"));
            assertThat(n.getOnline()).isEqualTo(r.get("online"));
            assertThat(n.getAddressesList()).isEqualTo(r.get("addresses"));
            assertThat(n.hasEnrolledAt()).isEqualTo(r.get("enrolledAt") != null);
        }
        assertThat(nodes).extracting(Node::getNodeId)
                .containsExactlyElementsOf(restNodes.stream().map(x -> (String) x.get("nodeId")).toList());
    }

    @Test
    void reflectionListsTheAdminServicesWithTheirRpcs() throws Exception {
        ServerReflectionResponse services = GrpcTesting.reflect(grpc.channel, ServerReflectionRequest.newBuilder().setListServices("")
                .build());
        assertThat(services.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                .contains("savesync.admin.v1.RetentionPolicies", "savesync.admin.v1.AuditLog",
                        "savesync.admin.v1.GroupAdmin");

        ServerReflectionResponse file = GrpcTesting.reflect(grpc.channel, ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("savesync.admin.v1.GroupAdmin").build());
        FileDescriptorProto proto = FileDescriptorProto.parseFrom(file.getFileDescriptorResponse()
                .getFileDescriptorProto(0));
        assertThat(proto.getPackage()).isEqualTo("savesync.admin.v1");
        Map<String, List<String>> rpcs = new java.util.TreeMap<>();
        for (ServiceDescriptorProto s : proto.getServiceList()) {
            rpcs.put(s.getName(), s.getMethodList().stream().map(MethodDescriptorProto::getName).toList());
        }
        assertThat(rpcs).containsExactly(
                Map.entry("AuditLog", List.of("ListAuditEvents")),
                Map.entry("Backups", List.of("ListVersions", "GetTree", "ReadVersion", "RunRetention", "GetGroupStorage",
                        "GetHubStorage")),
                Map.entry("GroupAdmin", List.of("ListGroups", "GetGroup", "ListMembers", "ListNodes", "CreateInvite",
                        "ListInvites", "RevokeInvite", "RemoveMember", "ListEnrollments", "RevokeEnrollment",
                        "RotateEnrollmentToken", "WatchEvents")),
                Map.entry("RetentionPolicies", List.of("SetRetentionPolicy", "GetRetentionPolicy",
                        "ListRetentionPolicies", "DeleteRetentionPolicy")));
    }

    @Test
    void grpcAnswersOnlyToTheAllowedHostNames() throws Exception {
        ManagedChannel rebound = NettyChannelBuilder.forAddress("127.0.0.1", root.getPort()).usePlaintext()
                .overrideAuthority("rebound.attacker.example:" + root.getPort()).build();
        try {
            assertThatThrownBy(() -> GroupAdminGrpc.newBlockingStub(rebound).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .listGroups(ListGroupsRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        } finally {
            rebound.shutdownNow();
            rebound.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
