package org.savesync.server.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.testing.ApiAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.server.admin.AuditLog;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.grpc.v1.AuditEvent;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListAuditEventsResponse;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * The audit log against the running hub: changes over either API are recorded with their
 * actor and before/after, in the transaction of the change; both APIs filter and page it.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class AuditApiTest {
    @Inject
    PgStores stores;
    @Inject
    RetentionPolicies policies;
    @Inject
    AuditLog audit;

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

    private void grpcSet(int keepVersions) {
        grpc.retention.setRetentionPolicy(SetRetentionPolicyRequest.newBuilder().setGroupId(group.toString())
                .setKeepVersions(keepVersions).build());
    }

    private ListAuditEventsResponse grpcList(ListAuditEventsRequest.Builder b) {
        return grpc.audit.listAuditEvents(b.build());
    }

    @Test
    void changesOverBothApisAreRecordedWithActorAndBeforeAndAfter() {
        grpcSet(4);
        given().contentType(ContentType.JSON).body(Map.of("keepDays", 9)).put("/api/v1/groups/" + group
                + "/retention").then().statusCode(200);
        given().delete("/api/v1/groups/" + group + "/retention").then().statusCode(200);
        // Refused changes are not recorded.
        given().contentType(ContentType.JSON).body(Map.of("keepDays", -9)).put("/api/v1/groups/" + group
                + "/retention").then().statusCode(400);
        given().delete("/api/v1/groups/" + group + "/retention").then().statusCode(404);

        JsonPath rest = given().get("/api/v1/audit?group=" + group).then().statusCode(200).extract().jsonPath();
        assertThat(rest.getList("events.action")).containsExactly("retention.delete", "retention.set",
                "retention.set");
        assertThat(rest.getList("events.actor")).containsOnly("local-admin");
        assertThat(rest.getList("events.group")).containsOnly(group.toString());
        assertThat(rest.getString("nextCursor")).isNull();
        // newest first: the delete's before is the REST set's after
        assertThat(rest.getMap("events[0].before")).containsEntry("keepDays", 9).containsEntry("version", 2);
        assertThat(rest.getMap("events[0].after")).isNull();
        assertThat(rest.getMap("events[1].before")).containsEntry("keepVersions", 4).containsEntry("version", 1);
        assertThat(rest.getMap("events[1].after")).containsEntry("keepVersions", 10).containsEntry("keepDays", 9)
                .containsEntry("version", 2);
        assertThat(rest.getMap("events[2].before")).as("the first set had no policy before").isNull();
        assertThat(rest.getMap("events[2].after")).containsEntry("keepVersions", 4).containsEntry("quotaBytes", 0);

        List<AuditEvent> events = grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString()))
                .getEventsList();
        assertThat(events).extracting(AuditEvent::getId).containsExactlyElementsOf(rest.getList("events.id", Long.class));
        assertThat(events).extracting(AuditEvent::getActor).containsOnly("local-admin");
        assertThat(events.get(2).getBeforeJson()).isEmpty();
        assertThat(events.get(2).getAfterJson()).contains("\"keepVersions\": 4");
        assertThat(AdminWire.fromWire("at", events.get(0).getAt()))
                .isEqualTo(Instant.parse(rest.getString("events[0].at")));
    }

    @Test
    void aChangeAndItsEventCommitOrRollBackTogether() {
        QuarkusTransaction.begin();
        policies.set(group, new RetentionPolicy.Change(7L, null, null, null));
        QuarkusTransaction.rollback();
        assertThat(policies.get(group).isDefault()).as("the set was rolled back").isTrue();
        assertThat(grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString())).getEventsList())
                .as("and its event with it").isEmpty();

        assertThatThrownBy(() -> audit.record("test.outside", group, null, null, Map.of("x", 1)))
                .as("an event outside a transaction has no change to belong to")
                .isInstanceOf(TransactionalException.class);
        assertThat(grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString())).getEventsList()).isEmpty();
    }

    @Test
    void filtersAndPagesAgree() {
        for (int i = 1; i <= 7; i++) {
            grpcSet(i);
        }
        given().delete("/api/v1/groups/" + group + "/retention").then().statusCode(200);

        // Pages of 3 over gRPC: 3 + 3 + 2, newest first, each event once.
        List<AuditEvent> all = new ArrayList<>();
        String cursor = "";
        List<Integer> sizes = new ArrayList<>();
        do {
            ListAuditEventsResponse page = grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString())
                    .setLimit(3).setCursor(cursor));
            sizes.add(page.getEventsCount());
            all.addAll(page.getEventsList());
            cursor = page.getNextCursor();
        } while (!cursor.isEmpty());
        assertThat(sizes).containsExactly(3, 3, 2);
        List<Long> ids = all.stream().map(AuditEvent::getId).toList();
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(all.get(0).getAction()).isEqualTo("retention.delete");

        // The same pages over REST.
        JsonPath p1 = given().get("/api/v1/audit?limit=3&group=" + group).then().statusCode(200).extract().jsonPath();
        JsonPath p2 = given().get("/api/v1/audit?limit=3&group=" + group + "&cursor=" + p1.getString("nextCursor"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(p1.getList("events.id", Long.class)).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(p2.getList("events.id", Long.class)).containsExactlyElementsOf(ids.subList(3, 6));

        // action, actor and time filters
        assertThat(given().get("/api/v1/audit?action=retention.set&group=" + group).then().statusCode(200).extract()
                .jsonPath().getList("events")).hasSize(7);
        assertThat(grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString()).setAction("retention.delete"))
                .getEventsList()).extracting(AuditEvent::getId).containsExactly(ids.get(0));
        assertThat(grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString()).setActor("local-admin"))
                .getEventsCount()).isEqualTo(8);
        assertThat(given().get("/api/v1/audit?actor=someone-else&group=" + group).then().statusCode(200).extract()
                .jsonPath().getList("events")).isEmpty();
        Timestamp third = all.get(5).getAt(); // the third set, oldest first
        Timestamp fifth = all.get(3).getAt();
        List<Long> between = grpcList(ListAuditEventsRequest.newBuilder().setGroup(group.toString()).setFrom(third)
                .setTo(fifth)).getEventsList().stream().map(AuditEvent::getId).toList();
        assertThat(between).as("from inclusive, to exclusive").containsExactly(ids.get(4), ids.get(5));
        String from = AdminWire.fromWire("from", third).toString();
        String to = AdminWire.fromWire("to", fifth).toString();
        assertThat(given().get("/api/v1/audit?group=" + group + "&from=" + from + "&to=" + to).then().statusCode(200)
                .extract().jsonPath().getList("events.id", Long.class)).containsExactlyElementsOf(between);
        // Another group's events are not in this group's log.
        GroupId other = TestGroups.create(stores, "docs", NodeKey.generate(), NodeKey.generate(), NodeKey.generate());
        assertThat(given().get("/api/v1/audit?group=" + other).then().statusCode(200).extract().jsonPath()
                .getList("events")).isEmpty();
    }

    @Test
    void badFiltersAreRefusedNamingTheParameter() {
        record Bad(String field, ListAuditEventsRequest.Builder grpc, String rest) {
        }
        List<Bad> bad = List.of(
                new Bad("limit", ListAuditEventsRequest.newBuilder().setLimit(501), "limit=501"),
                new Bad("limit", ListAuditEventsRequest.newBuilder().setLimit(-1), "limit=-1"),
                new Bad("cursor", ListAuditEventsRequest.newBuilder().setCursor("abc"), "cursor=abc"),
                new Bad("cursor", ListAuditEventsRequest.newBuilder().setCursor("0"), "cursor=0"),
                new Bad("group", ListAuditEventsRequest.newBuilder().setGroup("nope"), "group=nope"),
                new Bad("actor", ListAuditEventsRequest.newBuilder().setActor("a".repeat(257)), "actor=" + "a".repeat(257)),
                new Bad("action", ListAuditEventsRequest.newBuilder().setAction("a".repeat(65)), "action=" + "a".repeat(65)),
                new Bad("from", ListAuditEventsRequest.newBuilder().setFrom(Timestamp.newBuilder().setSeconds(10))
                        .setTo(Timestamp.newBuilder().setSeconds(10)), "from=1970-01-01T00:00:10Z&to=1970-01-01T00:00:10Z"),
                new Bad("from", ListAuditEventsRequest.newBuilder().setFrom(Timestamp.newBuilder().setNanos(-1)),
                        "from=yesterday"));
        for (Bad b : bad) {
            assertThatThrownBy(() -> grpcList(b.grpc())).as(b.field()).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith(b.field() + ":");
                    });
            assertThat(given().get("/api/v1/audit?" + b.rest()).then().statusCode(400).extract().jsonPath()
                    .getString("error")).as(b.rest()).startsWith(b.field() + ":");
        }
        // the bounds themselves are allowed
        grpcList(ListAuditEventsRequest.newBuilder().setLimit(500).setActor("a".repeat(256)).setAction("a".repeat(64)));
        given().get("/api/v1/audit?limit=1").then().statusCode(200);
    }
}
