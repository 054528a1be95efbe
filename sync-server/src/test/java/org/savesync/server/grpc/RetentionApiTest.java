package org.savesync.server.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.testing.ApiAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.server.grpc.v1.DeleteRetentionPolicyRequest;
import org.savesync.server.grpc.v1.GetRetentionPolicyRequest;
import org.savesync.server.grpc.v1.ListRetentionPoliciesRequest;
import org.savesync.server.grpc.v1.RetentionPolicy;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * Retention policies over both admin APIs against the running hub and its embedded PostgreSQL:
 * what gRPC sets REST reads back and the other way round, every value out of range is refused
 * naming its field, unknown groups are NOT_FOUND / 404, versions clash as ABORTED / 409.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class RetentionApiTest {
    private static final long PIB = 1L << 50;

    @Inject
    PgStores stores;

    @Inject
    AuthMode auth;

    @TestHTTPResource("/")
    URL root;

    private AdminGrpcClient grpc;
    private GroupId group;

    @BeforeEach
    void hubWithAGroup() {
        ApiAuth.sendLocalToken(auth);
        grpc = new AdminGrpcClient(root.getPort(), ApiAuth.localToken(auth));
        group = TestGroups.create(stores, "photos", NodeKey.generate(), NodeKey.generate(), NodeKey.generate());
    }

    @AfterEach
    void close() throws Exception {
        ApiAuth.reset();
        grpc.close();
    }

    private RetentionPolicy set(SetRetentionPolicyRequest.Builder b) {
        return grpc.retention.setRetentionPolicy(b.setGroupId(group.toString()).build());
    }

    private RetentionPolicy get(GroupId g) {
        return grpc.retention.getRetentionPolicy(GetRetentionPolicyRequest.newBuilder().setGroupId(g.toString()).build());
    }

    private JsonPath restGet(GroupId g) {
        return given().get("/api/v1/groups/" + g + "/retention").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aGroupWithoutAPolicyHasTheDefaults() {
        RetentionPolicy p = get(group);
        assertThat(p.getDefaults()).isTrue();
        assertThat(p.getVersion()).isZero();
        assertThat(List.of(p.getKeepVersions(), p.getKeepDays())).containsExactly(10, 30);
        assertThat(p.getQuotaBytes()).isZero();
        assertThat(p.hasUpdatedAt()).isFalse();
        JsonPath rest = restGet(group);
        assertThat(rest.getBoolean("defaults")).isTrue();
        assertThat(rest.getInt("keepVersions")).isEqualTo(10);
        assertThat(rest.getString("updatedBy")).isNull();
    }

    @Test
    void setOverGrpcReadsBackOverRestAndGrpc() {
        RetentionPolicy set = set(SetRetentionPolicyRequest.newBuilder().setKeepVersions(5).setKeepDays(7)
                .setQuotaBytes(3_000_000_000L));
        assertThat(set.getVersion()).isEqualTo(1);
        assertThat(set.getUpdatedBy()).as("the caller of the local admin token").isEqualTo("local-admin");
        assertThat(set.getDefaults()).isFalse();

        assertThat(get(group)).isEqualTo(set);
        JsonPath rest = restGet(group);
        assertThat(rest.getString("groupId")).isEqualTo(group.toString());
        assertThat(rest.getInt("keepVersions")).isEqualTo(5);
        assertThat(rest.getInt("keepDays")).isEqualTo(7);
        assertThat(rest.getLong("quotaBytes")).isEqualTo(3_000_000_000L);
        assertThat(rest.getLong("version")).isEqualTo(1);
        assertThat(rest.getString("updatedBy")).isEqualTo("local-admin");
        assertThat(rest.getBoolean("defaults")).isFalse();
        assertThat(java.time.Instant.parse(rest.getString("updatedAt")))
                .isEqualTo(AdminWire.fromWire("t", set.getUpdatedAt()));

        // A field left out takes its default; the version goes up by one.
        RetentionPolicy again = set(SetRetentionPolicyRequest.newBuilder().setKeepDays(1));
        assertThat(again.getVersion()).isEqualTo(2);
        assertThat(again.getKeepVersions()).isEqualTo(10);
        assertThat(again.getQuotaBytes()).isZero();
        assertThat(restGet(group).getLong("version")).isEqualTo(2);
    }

    @Test
    void setOverRestReadsBackOverGrpcAndIsListed() {
        JsonPath put = given().contentType(ContentType.JSON).body(Map.of("keepVersions", 1000, "keepDays", 36500,
                "quotaBytes", PIB)).put("/api/v1/groups/" + group + "/retention").then().statusCode(200).extract()
                .jsonPath();
        assertThat(put.getLong("version")).isEqualTo(1);
        RetentionPolicy p = get(group);
        assertThat(p.getKeepVersions()).isEqualTo(1000);
        assertThat(p.getKeepDays()).isEqualTo(36500);
        assertThat(p.getQuotaBytes()).isEqualTo(PIB);

        GroupId other = TestGroups.create(stores, "docs", NodeKey.generate(), NodeKey.generate(), NodeKey.generate());
        List<RetentionPolicy> listed = grpc.retention.listRetentionPolicies(ListRetentionPoliciesRequest
                .getDefaultInstance()).getPoliciesList();
        assertThat(listed).contains(p);
        assertThat(listed).filteredOn(x -> x.getGroupId().equals(other.toString())).singleElement()
                .satisfies(x -> assertThat(x.getDefaults()).isTrue());
        List<Map<String, Object>> rest = given().get("/api/v1/retention").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertThat(rest).anySatisfy(m -> assertThat(m).containsEntry("groupId", group.toString())
                .containsEntry("keepVersions", 1000).containsEntry("version", 1));
        assertThat(rest).anySatisfy(m -> assertThat(m).containsEntry("groupId", other.toString())
                .containsEntry("defaults", true));
    }

    @Test
    void everyValueOutOfRangeIsRefusedNamingItsField() {
        record Bad(String field, SetRetentionPolicyRequest.Builder grpc, Map<String, Object> rest) {
        }
        List<Bad> bad = List.of(
                new Bad("keepVersions", SetRetentionPolicyRequest.newBuilder().setKeepVersions(0), Map.of("keepVersions", 0)),
                new Bad("keepVersions", SetRetentionPolicyRequest.newBuilder().setKeepVersions(1001), Map.of("keepVersions", 1001)),
                new Bad("keepDays", SetRetentionPolicyRequest.newBuilder().setKeepDays(-1), Map.of("keepDays", -1)),
                new Bad("keepDays", SetRetentionPolicyRequest.newBuilder().setKeepDays(36501), Map.of("keepDays", 36501)),
                new Bad("quotaBytes", SetRetentionPolicyRequest.newBuilder().setQuotaBytes(-1), Map.of("quotaBytes", -1)),
                new Bad("quotaBytes", SetRetentionPolicyRequest.newBuilder().setQuotaBytes(PIB + 1), Map.of("quotaBytes", PIB + 1)),
                new Bad("expectedVersion", SetRetentionPolicyRequest.newBuilder().setExpectedVersion(-1), Map.of("expectedVersion", -1)));
        for (Bad b : bad) {
            assertThatThrownBy(() -> set(b.grpc())).as(b.field()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).startsWith(b.field() + ": must be");
            });
            String error = given().contentType(ContentType.JSON).body(b.rest()).put("/api/v1/groups/" + group
                    + "/retention").then().statusCode(400).extract().jsonPath().getString("error");
            assertThat(error).as(b.field()).startsWith(b.field() + ": must be");
        }
        assertThat(get(group).getDefaults()).as("nothing was set").isTrue();
        // A number too large for the field's type: refused by the range check too, not by JSON binding.
        String error = given().contentType(ContentType.JSON).body("{\"keepDays\": 99999999999}")
                .put("/api/v1/groups/" + group + "/retention").then().statusCode(400).extract().jsonPath()
                .getString("error");
        assertThat(error).startsWith("keepDays: must be between 0 and 36500");
    }

    @Test
    void aMisspelledOrMalformedBodyIsRefused() {
        String misspelled = given().contentType(ContentType.JSON).body("{\"keepVersion\": 3}")
                .put("/api/v1/groups/" + group + "/retention").then().statusCode(400).extract().jsonPath()
                .getString("error");
        assertThat(misspelled).contains("keepVersion");
        given().contentType(ContentType.JSON).body("{\"keepDays\": \"many\"}")
                .put("/api/v1/groups/" + group + "/retention").then().statusCode(400);
        assertThat(get(group).getDefaults()).isTrue();
    }

    @Test
    void anUnknownGroupIsNotFoundAndAMalformedIdInvalid() {
        GroupId unknown = GroupId.random();
        for (var call : List.<Runnable>of(() -> get(unknown),
                () -> grpc.retention.setRetentionPolicy(SetRetentionPolicyRequest.newBuilder()
                        .setGroupId(unknown.toString()).setKeepDays(3).build()),
                () -> grpc.retention.deleteRetentionPolicy(DeleteRetentionPolicyRequest.newBuilder()
                        .setGroupId(unknown.toString()).build()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(e.getStatus().getDescription()).contains("holds no group " + unknown);
            });
        }
        given().get("/api/v1/groups/" + unknown + "/retention").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").put("/api/v1/groups/" + unknown + "/retention").then()
                .statusCode(404);
        given().delete("/api/v1/groups/" + unknown + "/retention").then().statusCode(404);

        assertThatThrownBy(() -> grpc.retention.getRetentionPolicy(GetRetentionPolicyRequest.newBuilder()
                .setGroupId("not-a-group").build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("groupId: 'not-a-group' is not a group id");
                });
        assertThat(given().get("/api/v1/groups/not-a-group/retention").then().statusCode(400).extract().jsonPath()
                .getString("error")).startsWith("groupId:");
    }

    @Test
    void aStaleExpectedVersionIsAbortedAndChangesNothing() {
        RetentionPolicy first = set(SetRetentionPolicyRequest.newBuilder().setKeepVersions(3).setExpectedVersion(0));
        assertThat(first.getVersion()).isEqualTo(1);
        assertThatThrownBy(() -> set(SetRetentionPolicyRequest.newBuilder().setKeepVersions(4).setExpectedVersion(0)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription()).contains("at version 1, not the expected 0");
                });
        given().contentType(ContentType.JSON).body(Map.of("keepVersions", 4, "expectedVersion", 7))
                .put("/api/v1/groups/" + group + "/retention").then().statusCode(409);
        given().delete("/api/v1/groups/" + group + "/retention?expectedVersion=2").then().statusCode(409);
        assertThat(get(group)).isEqualTo(first);
        assertThat(set(SetRetentionPolicyRequest.newBuilder().setKeepVersions(4).setExpectedVersion(1)).getVersion())
                .isEqualTo(2);
    }

    @Test
    void deleteBringsBackTheDefaults() {
        RetentionPolicy p = set(SetRetentionPolicyRequest.newBuilder().setKeepVersions(2));
        var deleted = grpc.retention.deleteRetentionPolicy(DeleteRetentionPolicyRequest.newBuilder()
                .setGroupId(group.toString()).setExpectedVersion(1).build()).getDeleted();
        assertThat(deleted).isEqualTo(p);
        assertThat(get(group).getDefaults()).isTrue();
        assertThat(given().delete("/api/v1/groups/" + group + "/retention").then().statusCode(404).extract()
                .jsonPath().getString("error")).contains("has no retention policy of its own");
        assertThat(given().delete("/api/v1/groups/" + group + "/retention?expectedVersion=x").then().statusCode(400)
                .extract().jsonPath().getString("error")).startsWith("expectedVersion:");
    }
}
