package org.savesync.server.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportConfig;
import org.savesync.server.admin.EnrollmentAdmin;
import org.savesync.server.admin.Members;
import org.savesync.server.admin.MembershipAudit;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.events.HubEvents;
import org.savesync.server.grpc.v1.Enrollment;
import org.savesync.server.grpc.v1.GroupAdminGrpc;
import org.savesync.server.grpc.v1.HubEvent;
import org.savesync.server.grpc.v1.HubEventKind;
import org.savesync.server.grpc.v1.ListAuditEventsRequest;
import org.savesync.server.grpc.v1.ListEnrollmentsRequest;
import org.savesync.server.grpc.v1.RemoveMemberRequest;
import org.savesync.server.grpc.v1.RevokeEnrollmentRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenRequest;
import org.savesync.server.grpc.v1.RotateEnrollmentTokenResponse;
import org.savesync.server.grpc.v1.WatchEventsRequest;
import org.savesync.server.service.EnrollmentToken;
import org.savesync.server.service.HubService;
import org.savesync.server.testing.ApiAuth;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * The running hub with real agents over QUIC: a gRPC client following WatchEvents sees an
 * enrollment, a registration, a file stored and a conflict, each within 2 s; a cancelled stream
 * unsubscribes. Enrollment admin: an enrolled agent is listed, revoking it stops it registering
 * new groups (its group stays), a rotated token replaces the old one at once; both audited.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class HubEventsAndEnrollmentTest {
    private static final Duration EVENT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    AuthMode auth;

    @Inject
    HubService hub;

    @Inject
    HubEvents events;

    @TestHTTPResource("/")
    URL root;

    private AdminGrpcClient grpc;
    private Path tmp;
    private final List<SyncEngine> agents = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        ApiAuth.sendLocalToken(auth);
        grpc = new AdminGrpcClient(root.getPort(), ApiAuth.localToken(auth));
        Files.createDirectories(Path.of("target"));
        tmp = Files.createTempDirectory(Path.of("target"), "hub-events-");
    }

    @AfterEach
    void tearDown() throws Exception {
        agents.forEach(SyncEngine::close);
        ApiAuth.reset();
        grpc.close();
        try (var paths = Files.walk(tmp)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private SyncEngine agent(String name, NodeKey key, InMemoryStores stores) {
        SyncEngine e = SyncEngine.start(key, new QuicNetwork(key, new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults()), stores, EngineConfig.defaults(name));
        agents.add(e);
        return e;
    }

    private String enrollmentToken() throws Exception {
        return Files.readString(hub.dataDir().resolve(EnrollmentToken.FILE)).strip();
    }

    /** A WatchEvents stream whose events land in a queue, cancelled by {@link Context.CancellableContext#cancel}. */
    private record Follower(io.grpc.ManagedChannel channel, Context.CancellableContext context,
                            BlockingQueue<Object> seen) {
        HubEvent await(String what, Predicate<HubEvent> wanted) throws InterruptedException {
            long end = System.nanoTime() + EVENT.toNanos();
            while (System.nanoTime() < end) {
                Object o = seen.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (o instanceof Throwable t) {
                    throw new AssertionError("the stream failed while waiting for " + what, t);
                }
                if (o instanceof HubEvent e && wanted.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("no " + what + " within " + EVENT);
        }
    }

    private Follower follow(String group) throws InterruptedException {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        Context.CancellableContext ctx = Context.current().withCancellation();
        io.grpc.ManagedChannel channel = org.savesync.server.testing.GrpcTesting.channel(root.getPort(),
                ApiAuth.localToken(auth));
        ctx.run(() -> GroupAdminGrpc.newStub(channel).watchEvents(WatchEventsRequest.newBuilder()
                .setGroupId(group).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(HubEvent e) {
                        seen.add(e);
                    }

                    @Override
                    public void onError(Throwable t) {
                        seen.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        seen.add(new IllegalStateException("the stream completed"));
                    }
                }));
        Follower f = new Follower(channel, ctx, seen);
        f.await("the SUBSCRIBED event", e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_SUBSCRIBED);
        return f;
    }

    @Test
    void aFollowerSeesEnrollmentRegistrationStoredContentAndAConflictAndCancellingUnsubscribes() throws Exception {
        int before = events.subscriptions();
        Follower all = follow("");
        assertThat(events.subscriptions()).isEqualTo(before + 1);

        SyncEngine alice = agent("alice", NodeKey.generate(), new InMemoryStores());
        GroupId group = alice.createGroup("photos", tmp.resolve("alice"));
        alice.registerWithHub(group, hub.address(), enrollmentToken()).get(60, TimeUnit.SECONDS);
        HubEvent enrolled = all.await("NODE_ENROLLED", e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_NODE_ENROLLED);
        assertThat(enrolled.getNodeId()).isEqualTo(alice.nodeId().toString());
        assertThat(enrolled.getGroupId()).isEmpty();
        HubEvent registered = all.await("GROUP_REGISTERED",
                e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_GROUP_REGISTERED);
        assertThat(registered.getGroupId()).isEqualTo(group.toString());
        assertThat(registered.getNodeId()).isEqualTo(alice.nodeId().toString());
        assertThat(registered.getName()).isEqualTo("photos");

        Follower photos = follow(group.toString());
        NodeKey bobKey = NodeKey.generate();
        InMemoryStores bobStores = new InMemoryStores();
        Ticket ticket = alice.requestInvite(group, Duration.ofHours(1), true).get(60, TimeUnit.SECONDS);
        SyncEngine bob = agent("bob", bobKey, bobStores);
        bob.join(Ticket.parse(ticket.text()), tmp.resolve("bob")).get(60, TimeUnit.SECONDS);
        await("bob up to date with alice").atMost(WAIT).until(() -> alice.group(group).orElseThrow()
                .upToDate(bob.nodeId()));

        // bob goes away; both change the same file without knowing of each other: a conflict.
        agents.remove(bob);
        bob.close();
        Files.writeString(tmp.resolve("alice").resolve("notes.txt"), "alice's version");
        alice.group(group).orElseThrow().scan().get(60, TimeUnit.SECONDS);
        HubEvent stored = photos.await("TRANSFER_FINISHED of notes.txt",
                e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_TRANSFER_FINISHED && e.getPath().equals("notes.txt"));
        assertThat(stored.getNodeId()).isEqualTo(alice.nodeId().toString());
        assertThat(stored.getCount()).isEqualTo("alice's version".length());

        Files.writeString(tmp.resolve("bob").resolve("notes.txt"), "bob's version, written offline");
        SyncEngine bobAgain = agent("bob", bobKey, bobStores);
        bobAgain.group(group).orElseThrow().scan().get(60, TimeUnit.SECONDS);
        HubEvent conflict = photos.await("CONFLICT on notes.txt",
                e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_CONFLICT && e.getPath().equals("notes.txt"));
        assertThat(conflict.getGroupId()).isEqualTo(group.toString());
        assertThat(List.of(conflict.getNodeId(), conflict.getOtherNodeId()))
                .containsExactlyInAnyOrder(alice.nodeId().toString(), bob.nodeId().toString());
        assertThat(photos.seen()).as("the group's follower sees no enrollment (it concerns no group)")
                .noneMatch(o -> o instanceof HubEvent e && e.getKind() == HubEventKind.HUB_EVENT_KIND_NODE_ENROLLED);

        // A client that goes away (Ctrl-C on `savesync-server admin events --follow`) closes its connection.
        all.context().cancel(null);
        org.savesync.server.testing.GrpcTesting.close(all.channel());
        await("the closed stream unsubscribed").atMost(EVENT).until(() -> events.subscriptions() == before + 1);
        // One stream cancelled on a connection that stays open: noticed at the next write (at most a keepalive later).
        photos.context().cancel(null);
        await("the cancelled stream unsubscribed").atMost(EVENT).until(() -> events.subscriptions() == before);
        org.savesync.server.testing.GrpcTesting.close(photos.channel());
    }

    @Test
    void aFollowerSeesAJoinAndARemovalAndBothAreAudited() throws Exception {
        SyncEngine alice = agent("alice", NodeKey.generate(), new InMemoryStores());
        GroupId group = alice.createGroup("team", tmp.resolve("alice-team"));
        alice.registerWithHub(group, hub.address(), enrollmentToken()).get(60, TimeUnit.SECONDS);
        Follower team = follow(group.toString());
        Ticket ticket = alice.requestInvite(group, Duration.ofHours(1), true).get(60, TimeUnit.SECONDS);
        SyncEngine bob = agent("bob", NodeKey.generate(), new InMemoryStores());
        bob.join(Ticket.parse(ticket.text()), tmp.resolve("bob-team")).get(60, TimeUnit.SECONDS);
        HubEvent joined = team.await("MEMBER_JOINED of bob", e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_MEMBER_JOINED
                && e.getNodeId().equals(bob.nodeId().toString()));
        assertThat(joined.getName()).isEqualTo("bob");
        assertThat(joined.getGroupId()).isEqualTo(group.toString());

        var removed = grpc.groups.removeMember(RemoveMemberRequest.newBuilder().setGroupId(group.toString())
                .setNodeId(bob.nodeId().toString()).build());
        assertThat(removed.getName()).isEqualTo("bob");
        assertThat(removed.getSecretEpoch()).isEqualTo(hub.engine().group(group).orElseThrow().secretEpoch());
        HubEvent gone = team.await("MEMBER_REMOVED of bob", e -> e.getKind() == HubEventKind.HUB_EVENT_KIND_MEMBER_REMOVED
                && e.getNodeId().equals(bob.nodeId().toString()));
        assertThat(gone.getName()).isEqualTo("bob");
        await("bob sees it was removed").atMost(WAIT).until(() -> bob.group(group).orElseThrow().removed().isPresent());

        assertThatThrownBy(() -> grpc.groups.removeMember(RemoveMemberRequest.newBuilder().setGroupId(group.toString())
                .setNodeId(bob.nodeId().toString()).build())).as("bob again: no longer a member")
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> grpc.groups.removeMember(RemoveMemberRequest.newBuilder().setGroupId(group.toString())
                .setNodeId(hub.engine().nodeId().toString()).build())).as("the hub itself")
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        given().delete("/api/v1/groups/" + group + "/members/" + bob.nodeId()).then().statusCode(404);
        given().delete("/api/v1/groups/" + group + "/members/not-a-node").then().statusCode(400);

        await("the join is in the audit log").atMost(WAIT).until(() -> grpc.audit.listAuditEvents(
                ListAuditEventsRequest.newBuilder().setLimit(500).build()).getEventsList().stream()
                .anyMatch(a -> a.getAction().equals(MembershipAudit.JOIN) && a.getActor().equals("node " + bob.nodeId())));
        var audit = grpc.audit.listAuditEvents(ListAuditEventsRequest.newBuilder().setLimit(500).build())
                .getEventsList();
        assertThat(audit).filteredOn(a -> a.getAction().equals(Members.REMOVE)
                && a.getNodeId().equals(bob.nodeId().toString())).singleElement()
                .satisfies(a -> {
                    assertThat(a.getActor()).isEqualTo("local-admin");
                    assertThat(a.getBeforeJson().replace(" ", "")).contains("\"name\":\"bob\"");
                    assertThat(a.getAfterJson().replace(" ", "")).contains("\"secretEpoch\":"
                            + removed.getSecretEpoch());
                });
        team.context().cancel(null);
        org.savesync.server.testing.GrpcTesting.close(team.channel());
    }

    @Test
    void aRevokedNodeKeepsItsGroupButRegistersNoNewOneAndARotatedTokenReplacesTheOldAtOnce() throws Exception {
        SyncEngine alice = agent("alice", NodeKey.generate(), new InMemoryStores());
        GroupId first = alice.createGroup("first", tmp.resolve("alice-first"));
        alice.registerWithHub(first, hub.address(), enrollmentToken()).get(60, TimeUnit.SECONDS);
        var stub = grpc.groups;
        Enrollment listed = stub.listEnrollments(ListEnrollmentsRequest.getDefaultInstance()).getEnrollmentsList()
                .stream().filter(e -> e.getNodeId().equals(alice.nodeId().toString())).findFirst().orElseThrow();
        assertThat(listed.getRevoked()).isFalse();
        assertThat(listed.hasEnrolledAt()).isTrue();
        assertThat(listed.getGroupsList()).containsExactly(first.toString());

        Enrollment revoked = stub.revokeEnrollment(RevokeEnrollmentRequest.newBuilder()
                .setNodeId(alice.nodeId().toString()).build());
        assertThat(revoked.getRevoked()).isTrue();
        assertThat(revoked.getRevokedBy()).isNotBlank();
        GroupId second = alice.createGroup("second", tmp.resolve("alice-second"));
        assertThatThrownBy(() -> alice.registerWithHub(second, hub.address(), enrollmentToken()).get(60,
                TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).rootCause()
                .hasMessageContaining("revoked by an administrator");
        assertThat(hub.engine().group(first)).as("its group stays").isPresent();
        given().get("/api/v1/enrollments").then().statusCode(200).extract().jsonPath().getList("$", java.util.Map.class)
                .stream().filter(m -> alice.nodeId().toString().equals(m.get("nodeId"))).findFirst()
                .ifPresentOrElse(m -> assertThat(m).containsEntry("revoked", true),
                        () -> { throw new AssertionError("alice not listed over REST"); });

        String old = enrollmentToken();
        RotateEnrollmentTokenResponse rotated = stub.rotateEnrollmentToken(RotateEnrollmentTokenRequest
                .getDefaultInstance());
        assertThat(rotated.getToken()).isNotEqualTo(old).isEqualTo(enrollmentToken());
        assertThat(rotated.getFile()).isEqualTo(hub.dataDir().resolve(EnrollmentToken.FILE).toString());
        SyncEngine carol = agent("carol", NodeKey.generate(), new InMemoryStores());
        GroupId carols = carol.createGroup("carols", tmp.resolve("carol"));
        assertThatThrownBy(() -> carol.registerWithHub(carols, hub.address(), old).get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).rootCause().hasMessageContaining("not the hub's");
        carol.registerWithHub(carols, hub.address(), rotated.getToken()).get(60, TimeUnit.SECONDS);

        String rest = given().post("/api/v1/enrollment-token").then().statusCode(200).extract().path("token");
        assertThat(rest).isNotEqualTo(rotated.getToken()).isEqualTo(enrollmentToken());

        var audit = grpc.audit.listAuditEvents(ListAuditEventsRequest.newBuilder().setLimit(500).build())
                .getEventsList();
        assertThat(audit).filteredOn(a -> a.getAction().equals(EnrollmentAdmin.REVOKE))
                .anySatisfy(a -> assertThat(a.getNodeId()).isEqualTo(alice.nodeId().toString()));
        assertThat(audit).filteredOn(a -> a.getAction().equals(EnrollmentAdmin.ROTATE)).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(a -> assertThat(a.getAfterJson()).doesNotContain(rotated.getToken()).doesNotContain(rest));

        assertThatThrownBy(() -> stub.revokeEnrollment(RevokeEnrollmentRequest.newBuilder()
                .setNodeId(NodeKey.generate().nodeId().toString()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> stub.revokeEnrollment(RevokeEnrollmentRequest.newBuilder().setNodeId("x".repeat(10_000))
                .build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).hasSizeLessThan(200);
                });
    }
}
