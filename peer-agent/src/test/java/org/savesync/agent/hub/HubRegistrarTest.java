package org.savesync.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.engine.RegistrationException;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;

/** {@link HubRegistrar} against a fake engine: what it registers, how it retries, what a refusal does. */
class HubRegistrarTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final NodeId SELF = node(1);
    private static final NodeId OTHER = node(2);
    private static final HubAddress HUB = new HubAddress("127.0.0.1:22000", node(9));

    private final FakeEngine engine = new FakeEngine();
    private final List<HubRegistrar> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(HubRegistrar::stop);
    }

    private HubRegistrar registrar(String token) {
        // Short delays so retries happen quickly; the test waits for conditions, never for time.
        HubRegistrar r = new HubRegistrar(engine, HUB, token, Duration.ofMillis(10), Duration.ofMillis(40),
                Duration.ofMillis(500), Clock.systemUTC());
        started.add(r);
        return r;
    }

    @Test
    void registersOwnGroupsOnlyAndPassesTheToken() {
        GroupId own = engine.add("photos", SELF);
        GroupId others = engine.add("theirs", OTHER);
        GroupId handedOver = engine.add("done", HUB.node());
        engine.answer = (g) -> CompletableFuture.completedFuture(null);

        registrar("tok-1").start();

        await().atMost(WAIT).until(() -> engine.calls.size() == 1);
        assertThat(engine.calls).containsExactly(new Call(own, HUB, "tok-1"));
        HubRegistrar r = started.get(0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(r.registration(own)).hasValueSatisfying(
                reg -> assertThat(reg.phase()).isEqualTo(Registration.Phase.REGISTERED)));
        HubStatus s = r.status(true);
        assertThat(s.groups()).extracting(HubStatus.GroupRegistration::id, HubStatus.GroupRegistration::state)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(own.toString(), "registered"),
                        org.assertj.core.groups.Tuple.tuple(others.toString(), "skipped"),
                        org.assertj.core.groups.Tuple.tuple(handedOver.toString(), "registered"));
        assertThat(engine.calls).extracting(Call::group).doesNotContain(others, handedOver);
    }

    @Test
    void unreachableHubIsRetriedUntilItAnswers() {
        GroupId g = engine.add("photos", SELF);
        AtomicInteger n = new AtomicInteger();
        engine.answer = (id) -> n.incrementAndGet() <= 3
                ? CompletableFuture.failedFuture(new RegistrationException("cannot reach the hub", new ConnectException("refused")))
                : CompletableFuture.completedFuture(null);

        HubRegistrar r = registrar("");
        r.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(r.registration(g)).hasValueSatisfying(
                reg -> assertThat(reg.phase()).isEqualTo(Registration.Phase.REGISTERED)));
        assertThat(engine.calls).hasSize(4).allMatch(c -> c.group().equals(g) && c.token().isEmpty());
    }

    @Test
    void pendingShowsTheLastErrorAndWhenItTriesAgain() {
        GroupId g = engine.add("photos", SELF);
        engine.answer = (id) -> CompletableFuture.failedFuture(new ConnectException("Connection refused"));
        HubRegistrar r = new HubRegistrar(engine, HUB, "", Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(5), Clock.systemUTC());
        started.add(r);
        r.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(r.registration(g)).hasValueSatisfying(reg -> {
            assertThat(reg.phase()).isEqualTo(Registration.Phase.PENDING);
            assertThat(reg.failures()).isEqualTo(1);
        }));
        HubStatus.GroupRegistration row = r.status(false).groups().get(0);
        assertThat(row.state()).isEqualTo("pending");
        assertThat(row.detail()).contains("Connection refused");
        assertThat(row.nextAttemptSeconds()).isBetween(1L, 30L);
    }

    @Test
    void anEngineFailureIsReportedAndRetriedNotFatal() {
        GroupId g = engine.add("photos", SELF);
        engine.answer = (id) -> {
            throw new IllegalStateException("the engine is closed");
        };
        HubRegistrar r = registrar("");
        r.start();

        await().atMost(WAIT).until(() -> engine.calls.size() >= 3);
        assertThat(r.registration(g)).hasValueSatisfying(reg -> {
            assertThat(reg.phase()).isEqualTo(Registration.Phase.PENDING);
            assertThat(reg.reason()).contains("the engine is closed");
        });
    }

    @Test
    void aHubThatNeverAnswersCountsAsUnreachable() {
        GroupId g = engine.add("photos", SELF);
        engine.answer = (id) -> new CompletableFuture<>(); // never completes
        HubRegistrar r = new HubRegistrar(engine, HUB, "", Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMillis(50), Clock.systemUTC());
        started.add(r);
        r.start();

        await().atMost(WAIT).until(() -> engine.calls.size() >= 2);
        assertThat(r.registration(g).orElseThrow().reason()).contains("no answer");
    }

    @Test
    void aRefusalIsReportedWithTheHubsReasonAndNotRetriedByItself() {
        GroupId g = engine.add("photos", SELF);
        engine.answer = (id) -> CompletableFuture.failedFuture(
                new RegistrationException("node abc is not enrolled with this hub"));
        HubRegistrar r = registrar("");
        r.start();

        await().atMost(WAIT).untilAsserted(() -> assertThat(r.registration(g)).hasValueSatisfying(
                reg -> assertThat(reg.describe()).isEqualTo("refused: node abc is not enrolled with this hub")));
        // Retries come within 10-40 ms here; none may come while the hub says no.
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> engine.calls.size() == 1);
        HubStatus.GroupRegistration row = r.status(true).groups().get(0);
        assertThat(row.state()).isEqualTo("refused: node abc is not enrolled with this hub");
        assertThat(row.detail()).contains("--enroll-token");
        assertThat(row.nextAttemptSeconds()).isNull();

        // The next trigger (a group created) asks again; now the hub takes it.
        engine.answer = (id) -> CompletableFuture.completedFuture(null);
        r.trigger();
        await().atMost(WAIT).untilAsserted(() -> assertThat(r.registration(g)).hasValueSatisfying(
                reg -> assertThat(reg.phase()).isEqualTo(Registration.Phase.REGISTERED)));
        assertThat(engine.calls).hasSize(2);
    }

    @Test
    void aGroupCreatedLaterIsRegisteredOnTheNextTrigger() {
        GroupId first = engine.add("first", SELF);
        engine.answer = (id) -> CompletableFuture.completedFuture(null);
        HubRegistrar r = registrar("");
        r.start();
        await().atMost(WAIT).until(() -> r.registration(first).map(x -> x.phase() == Registration.Phase.REGISTERED)
                .orElse(false));

        GroupId second = engine.add("second", SELF);
        r.trigger();

        await().atMost(WAIT).until(() -> r.registration(second).map(x -> x.phase() == Registration.Phase.REGISTERED)
                .orElse(false));
        assertThat(engine.calls).extracting(Call::group).containsExactly(first, second);
    }

    @Test
    void nothingRunsAfterStop() {
        engine.add("photos", SELF);
        engine.answer = (id) -> CompletableFuture.failedFuture(new ConnectException("Connection refused"));
        HubRegistrar r = registrar("");
        r.start();
        await().atMost(WAIT).until(() -> engine.calls.size() >= 3);

        r.stop();

        assertThat(r.terminated()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.getName().equals(HubRegistrar.THREAD_NAME) && t.isAlive());
        int calls = engine.calls.size();
        r.trigger(); // ignored once stopped
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> engine.calls.size() == calls);
    }

    @Test
    void retryDelayDoublesUpToTheCap() {
        List<Long> seconds = new ArrayList<>();
        for (int failures = 1; failures <= 8; failures++) {
            seconds.add(HubRegistrar.retryDelay(failures, HubRegistrar.FIRST_RETRY, HubRegistrar.MAX_RETRY).toSeconds());
        }
        assertThat(seconds).containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void statusJsonHasTheHubAndEachGroupsState() throws Exception {
        GroupId refused = engine.add("photos", SELF);
        GroupId theirs = engine.add("theirs", OTHER);
        engine.answer = (id) -> CompletableFuture.failedFuture(new RegistrationException("not enrolled"));
        HubRegistrar r = registrar("");
        r.start();
        await().atMost(WAIT).until(() -> r.registration(refused).map(x -> x.phase() == Registration.Phase.REFUSED)
                .orElse(false));

        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(r.status(true)));

        assertThat(json.path("address").asText()).isEqualTo("127.0.0.1:22000");
        assertThat(json.path("nodeId").asText()).isEqualTo(HUB.node().toString());
        assertThat(json.path("connected").asBoolean()).isTrue();
        Map<String, JsonNode> rows = new ConcurrentHashMap<>();
        json.path("groups").forEach(g -> rows.put(g.path("id").asText(), g));
        assertThat(rows.get(refused.toString()).path("state").asText()).isEqualTo("refused: not enrolled");
        assertThat(rows.get(refused.toString()).path("name").asText()).isEqualTo("photos");
        assertThat(rows.get(refused.toString()).has("nextAttemptSeconds")).isFalse();
        assertThat(rows.get(theirs.toString()).path("state").asText()).isEqualTo("skipped");
        assertThat(rows.get(theirs.toString()).path("detail").asText()).contains(OTHER.toString());
    }

    // ------------------------------------------------------------------ fake

    static NodeId node(int fill) {
        byte[] raw = new byte[NodeId.LENGTH];
        Arrays.fill(raw, (byte) fill);
        return NodeId.of(raw);
    }

    record Call(GroupId group, HubAddress hub, String token) {
    }

    /** Groups with authorities, and a registration answer the test chooses. */
    static final class FakeEngine implements RegistrationTarget {
        final List<Group> groups = new CopyOnWriteArrayList<>();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile Function<GroupId, CompletableFuture<Void>> answer = id -> new CompletableFuture<>();

        GroupId add(String name, NodeId authority) {
            GroupId id = GroupId.random();
            groups.add(new Group(id, name, authority));
            return id;
        }

        @Override
        public NodeId self() {
            return SELF;
        }

        @Override
        public List<Group> groups() {
            return List.copyOf(groups);
        }

        @Override
        public CompletableFuture<Void> register(GroupId group, HubAddress hub, String enrollToken) {
            calls.add(new Call(group, hub, enrollToken));
            return answer.apply(group);
        }
    }
}
