package org.savesync.core.engine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.membership.Ticket;
import org.savesync.core.testsupport.MemoryChunkStore;
import org.savesync.core.transport.TransportConfig;

/**
 * A group as users run it, over real QUIC on loopback: a hub in full-replica mode (the
 * authority, with its chunk store) and agents with folders, all connected. Attack tests
 * add a {@link RogueMember} with {@link #ticket()}.
 */
final class HubAndAgents implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    final MemoryChunkStore chunks = new MemoryChunkStore();
    final InMemoryStores hubStores = new InMemoryStores();
    final SyncEngine hub;
    final List<SyncEngine> agents = new ArrayList<>();
    final List<Path> folders = new ArrayList<>();
    final GroupId group;
    private final List<SyncEngine> started = new ArrayList<>();

    /** Agent 0 creates the group and registers it with the hub; the others join with the hub's tickets. */
    HubAndAgents(Path base, int agentCount) throws Exception {
        this(base, agentCount, EngineConfig.DEFAULT_STALL_RETRY);
    }

    /** As {@link #HubAndAgents(Path, int)}, the hub setting aside a blob it could not fetch for {@code stallRetry}. */
    HubAndAgents(Path base, int agentCount, Duration stallRetry) throws Exception {
        try {
            hub = start(config("hub").withChunkStore(chunks).withRegistrations((node, group, token) -> { })
                    .withStallRetry(stallRetry), hubStores);
            for (int i = 0; i < agentCount; i++) {
                agents.add(start(config("agent" + i), new InMemoryStores()));
                folders.add(base.resolve("agent" + i));
            }
            group = agents.getFirst().createGroup("test", folders.getFirst());
            agents.getFirst().registerWithHub(group, new HubAddress(hub.listenAddresses().getFirst(), hub.nodeId()), "")
                    .get(60, TimeUnit.SECONDS);
            for (int i = 1; i < agentCount; i++) {
                agents.get(i).join(ticket(), folders.get(i)).get(60, TimeUnit.SECONDS);
            }
            Awaitility.await().atMost(WAIT).until(() -> all().stream()
                    .allMatch(e -> e.group(group).map(g -> g.status().peers() >= agentCount).orElse(false)));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Anti-entropy every 500 ms, requests time out after 10 s. */
    private static EngineConfig config(String name) {
        return EngineConfig.defaults(name).withTimings(Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    private SyncEngine start(EngineConfig cfg, InMemoryStores stores) {
        NodeKey key = NodeKey.generate();
        SyncEngine e = SyncEngine.start(key, new QuicNetwork(key, new InetSocketAddress("127.0.0.1", 0),
                TransportConfig.defaults()), stores, cfg);
        started.add(e);
        return e;
    }

    /** A new agent, in no group yet (closed with the others); join it with {@link #ticket()} or another ticket. */
    SyncEngine newAgent(String name) {
        return start(config(name), new InMemoryStores());
    }

    /** A multi-use ticket from the hub. */
    Ticket ticket() throws Exception {
        return agents.getFirst().requestInvite(group, Duration.ofHours(1), false).get(60, TimeUnit.SECONDS);
    }

    /** The hub, then the agents. */
    List<SyncEngine> all() {
        List<SyncEngine> l = new ArrayList<>();
        l.add(hub);
        l.addAll(agents);
        return l;
    }

    GroupHandle handle(SyncEngine e) {
        return e.group(group).orElseThrow();
    }

    /** Whether the hub holds every chunk of the blob of every file entry it has. */
    boolean hubHoldsEveryBlob() {
        var idx = (org.savesync.core.index.InMemoryIndexStore) hubStores.open(group);
        return idx.paths().stream().flatMap(p -> idx.entriesForPath(p).stream())
                .filter(e -> e.entry().type() == org.savesync.core.replication.EntryType.FILE)
                .allMatch(e -> e.entry().size() == 0 || idx.isComplete(e.entry().blob()));
    }

    static String address(SyncEngine e) {
        return e.listenAddresses().getFirst();
    }

    @Override
    public void close() {
        started.forEach(SyncEngine::close);
    }
}
