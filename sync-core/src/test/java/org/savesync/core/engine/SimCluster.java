package org.savesync.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.testsupport.SimNetwork;

/**
 * Engines on a {@link SimNetwork}, each with its own folder under {@code base}: node 0
 * creates a group, the others join it with a ticket over the join sub-protocol.
 */
final class SimCluster implements AutoCloseable {
    final SimNetwork net;
    final List<NodeKey> keys = new ArrayList<>();
    final List<InMemoryStores> stores = new ArrayList<>();
    final List<SyncEngine> engines = new ArrayList<>();
    final List<Path> folders = new ArrayList<>();
    final EngineConfig config;
    GroupId group;

    SimCluster(Path base, int nodes, long seed, EngineConfig config) {
        this.net = new SimNetwork(seed);
        this.config = config;
        for (int i = 0; i < nodes; i++) {
            NodeKey k = NodeKey.generate();
            keys.add(k);
            stores.add(new InMemoryStores());
            folders.add(base.resolve("node" + i));
            engines.add(SyncEngine.start(k, net.endpoint(k.nodeId()), stores.get(i), config));
        }
    }

    static EngineConfig fastConfig(String name) {
        return EngineConfig.defaults(name).withTimings(Duration.ofMillis(40), Duration.ofMillis(400));
    }

    /** Node 0 creates the group; every other node joins with one reusable ticket. */
    SimCluster formGroup() {
        group = engines.get(0).createGroup("test", folders.get(0));
        Ticket t = engines.get(0).invite(group, Duration.ofHours(1), false);
        for (int i = 1; i < engines.size(); i++) {
            engines.get(i).join(t, folders.get(i)).join();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> engines.stream()
                .allMatch(e -> e.group(group).map(g -> g.members().members().size() == engines.size()).orElse(false)));
        return this;
    }

    GroupHandle handle(int i) {
        return engines.get(i).group(group).orElseThrow();
    }

    /** Stops node i and starts it again on the same key and store (a restart). */
    void restart(int i) {
        engines.get(i).close();
        engines.set(i, SyncEngine.start(keys.get(i), net.endpoint(keys.get(i).nodeId()), stores.get(i), config));
    }

    @Override
    public void close() {
        for (SyncEngine e : engines) {
            e.close();
        }
        net.close();
    }
}
