package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.replication.EntryType;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.MemoryChunkStore;
import org.savesync.core.transport.TransportConfig;

/**
 * A hub over real QUIC on loopback: an agent registers its group (authority handed over),
 * the hub pulls every chunk into its chunk store, tickets come from the hub, a member that
 * joins later syncs from the hub alone, members learn of new members by push, and an agent
 * that is not enrolled cannot register.
 */
class HubTest {
    private static final String TOKEN = "enroll-me";

    @TempDir
    Path tmp;

    private final Set<NodeId> enrolled = ConcurrentHashMap.newKeySet();
    private final MemoryChunkStore chunks = new MemoryChunkStore();
    private final InMemoryStores hubStores = new InMemoryStores();
    private final NodeKey hubKey = NodeKey.generate();
    private final List<SyncEngine> engines = new java.util.ArrayList<>();

    private final RegistrationPolicy policy = (node, group, token) -> {
        if (!enrolled.contains(node) && !TOKEN.equals(token)) {
            throw new RegistrationRefusedException("this agent is not enrolled with the hub: start it with --enroll-token");
        }
        enrolled.add(node);
    };

    @AfterEach
    void close() {
        engines.forEach(SyncEngine::close);
    }

    /** Anti-entropy every 10 minutes: whatever arrives in a test's deadline arrived by push. */
    private static EngineConfig config(String name) {
        return EngineConfig.defaults(name).withTimings(Duration.ofMinutes(10), Duration.ofSeconds(10));
    }

    private SyncEngine start(NodeKey key, EngineConfig cfg, InMemoryStores stores) {
        SyncEngine e = SyncEngine.start(key, new QuicNetwork(key, new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults()), stores, cfg);
        engines.add(e);
        return e;
    }

    private SyncEngine hub() {
        return start(hubKey, config("hub").withChunkStore(chunks).withRegistrations(policy), hubStores);
    }

    private SyncEngine agent(String name) {
        return start(NodeKey.generate(), config(name), new InMemoryStores());
    }

    private static HubAddress address(SyncEngine hub) {
        return new HubAddress(hub.listenAddresses().getFirst(), hub.nodeId());
    }

    private static Throwable cause(Throwable t, Class<?> type) {
        while (t != null && !type.isInstance(t)) {
            t = t.getCause();
        }
        return t;
    }

    private boolean hubHoldsEveryBlob(GroupId g) {
        InMemoryIndexStore idx = (InMemoryIndexStore) hubStores.open(g);
        return idx.paths().stream().flatMap(p -> idx.entriesForPath(p).stream())
                .filter(e -> e.entry().type() == EntryType.FILE)
                .allMatch(e -> idx.isComplete(e.entry().blob()) || e.entry().size() == 0);
    }

    @Test
    void storeAndForwardThroughTheHub() throws Exception {
        SyncEngine hub = hub();
        SyncEngine a = agent("a");
        Path fa = tmp.resolve("a");
        GroupId g = a.createGroup("photos", fa);
        Random rnd = new Random(7);
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        rnd.nextBytes(big);
        Files.write(fa.resolve("big.bin"), big);
        Files.createDirectories(fa.resolve("sub/deeper"));
        for (int i = 0; i < 40; i++) {
            byte[] small = new byte[rnd.nextInt(9000)];
            rnd.nextBytes(small);
            Files.write(fa.resolve("sub/" + (i % 2 == 0 ? "deeper/" : "") + "f" + i + ".dat"), small);
        }
        Files.write(fa.resolve("empty"), new byte[0]);
        a.group(g).orElseThrow().scan().get(30, TimeUnit.SECONDS);

        a.registerWithHub(g, address(hub), TOKEN).get(30, TimeUnit.SECONDS);

        assertThat(a.group(g).orElseThrow().authority()).isEqualTo(hub.nodeId());
        var hubGroup = hub.group(g).orElseThrow();
        assertThat(hubGroup.authority()).isEqualTo(hub.nodeId());
        assertThat(hubGroup.members().member(hub.nodeId()).orElseThrow().role()).isEqualTo(Role.HUB);
        assertThat(hubGroup.members().isMember(a.nodeId())).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> hubHoldsEveryBlob(g)
                && hubGroup.knowledge().get(a.nodeId()) == a.group(g).orElseThrow().knowledge().get(a.nodeId()));
        assertThat(chunks.bytes()).isGreaterThanOrEqualTo(big.length);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hubGroup.upToDate(a.nodeId()));

        Ticket t = a.requestInvite(g, Duration.ofHours(1), true).get(30, TimeUnit.SECONDS);
        assertThat(t.authority()).as("tickets come from the hub").isEqualTo(hub.nodeId());
        a.close();

        SyncEngine b = agent("b");
        Path fb = tmp.resolve("b");
        b.join(Ticket.parse(t.text()), fb).get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                Manifest.assertSameTree(fa, fb, Manifest.Options.NO_MTIMES));
        assertThat(b.stats().chunkBytesFetched.sum()).isGreaterThanOrEqualTo(big.length);
        assertThat(hub.stats().chunkBytesServed.sum()).as("everything came from the hub").isGreaterThanOrEqualTo(big.length);

        // The ticket was single use: a second joiner is refused with the hub's reason.
        SyncEngine c = agent("c");
        Throwable refused = catchThrowable(() -> c.join(Ticket.parse(t.text()), tmp.resolve("c")).get(30, TimeUnit.SECONDS));
        assertThat(cause(refused, JoinException.class)).isNotNull().hasMessageContaining("already");
    }

    @Test
    void membersLearnOfNewMembersByPush() throws Exception {
        SyncEngine hub = hub();
        SyncEngine a = agent("a");
        GroupId g = a.createGroup("docs", tmp.resolve("a"));
        a.registerWithHub(g, address(hub), TOKEN).get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hub.group(g).orElseThrow().status().peers() >= 1);
        Ticket t = a.requestInvite(g, Duration.ofHours(1), false).get(30, TimeUnit.SECONDS);

        SyncEngine b = agent("b");
        b.join(t, tmp.resolve("b")).get(30, TimeUnit.SECONDS);
        // Anti-entropy runs every 10 minutes here: a 30 s deadline is met only by a push.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                a.group(g).orElseThrow().members().isMember(b.nodeId()));
        // And A hears where B is, so they connect directly too.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                a.connectedPeers().stream().anyMatch(p -> p.node().equals(b.nodeId())));
        Files.writeString(tmp.resolve("b/from-b.txt"), "hello");
        b.group(g).orElseThrow().scan().get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(tmp.resolve("a/from-b.txt")));
    }

    @Test
    void anAgentThatIsNotEnrolledCannotRegister() throws Exception {
        SyncEngine hub = hub();
        SyncEngine a = agent("a");
        GroupId g = a.createGroup("g", tmp.resolve("a"));
        // Before any hub, the creator is the authority and makes its own tickets.
        assertThat(a.requestInvite(g, Duration.ofMinutes(5), true).get(30, TimeUnit.SECONDS).authority())
                .isEqualTo(a.nodeId());
        for (String token : new String[] {"", "wrong"}) {
            Throwable t = catchThrowable(() -> a.registerWithHub(g, address(hub), token).get(30, TimeUnit.SECONDS));
            assertThat(cause(t, RegistrationException.class)).isNotNull().hasMessageContaining("not enrolled");
        }
        assertThat(a.group(g).orElseThrow().authority()).isEqualTo(a.nodeId());
        assertThat(hub.group(g)).isEmpty();
        assertThat(hub.stats().refusals(EngineStats.Refusal.REGISTRATION_REFUSED)).isEqualTo(2);

        // Enrolled once with the token, it registers later groups without it.
        a.registerWithHub(g, address(hub), TOKEN).get(30, TimeUnit.SECONDS);
        // ... as many as it has: an enrolled agent is not rate-limited.
        for (int i = 0; i <= JoinLimiter.PER_NODE; i++) {
            GroupId more = a.createGroup("more" + i, tmp.resolve("more" + i));
            a.registerWithHub(more, address(hub), "").get(30, TimeUnit.SECONDS);
            assertThat(hub.group(more)).isPresent();
        }
        GroupId g2 = a.createGroup("g2", tmp.resolve("a2"));
        a.registerWithHub(g2, address(hub), "").get(30, TimeUnit.SECONDS);
        assertThat(hub.group(g2)).isPresent();
        // Registering again is harmless.
        a.registerWithHub(g2, address(hub), "").get(30, TimeUnit.SECONDS);
    }

    @Test
    void aMemberThatIsNotTheAuthorityCannotRegisterAndNonMembersGetNoTickets() throws Exception {
        SyncEngine hub = hub();
        SyncEngine a = agent("a");
        GroupId g = a.createGroup("g", tmp.resolve("a"));
        SyncEngine b = agent("b");
        b.join(a.invite(g, Duration.ofHours(1), false), tmp.resolve("b")).get(30, TimeUnit.SECONDS);
        Throwable t = catchThrowable(() -> b.registerWithHub(g, address(hub), TOKEN).get(30, TimeUnit.SECONDS));
        assertThat(cause(t, RegistrationException.class)).isNotNull().hasMessageContaining("not the authority");

        a.registerWithHub(g, address(hub), TOKEN).get(30, TimeUnit.SECONDS);
        // B learns of the handover by push (from A or the hub) and then asks the hub for tickets.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                b.group(g).orElseThrow().authority().equals(hub.nodeId()));
        // ... and learns where the hub is (from A's gossip or the hub's own Hello): until then a
        // ticket request says so rather than trying nowhere.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                b.replica(g).info().peerAddresses().containsKey(hub.nodeId()));
        // Members are not rate-limited like outsiders: more tickets a minute than a joiner gets attempts.
        for (int i = 0; i <= JoinLimiter.PER_NODE + 2; i++) {
            assertThat(b.requestInvite(g, Duration.ofMinutes(5), true).get(30, TimeUnit.SECONDS).authority())
                    .isEqualTo(hub.nodeId());
        }

        // An outsider asking the hub for a ticket is refused.
        SyncEngine c = agent("c");
        var resp = c.network().ask(hub.listenAddresses().getFirst(), hub.nodeId(),
                new org.savesync.core.protocol.Message.TicketRequest(g, 60, 1, org.savesync.core.membership.Role.MEMBER)).get(30, TimeUnit.SECONDS);
        assertThat(resp).isInstanceOfSatisfying(org.savesync.core.protocol.Message.TicketResponse.class, r -> {
            assertThat(r.accepted()).isFalse();
            assertThat(r.error()).contains("only members");
        });
        assertThat(Protocol.VERSION).isEqualTo(1);
    }
}
