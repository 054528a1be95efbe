package org.savesync.core.engine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportConfig;

/** Engines talking real QUIC on 127.0.0.1 (ephemeral ports), each with its own folder. */
final class QuicCluster implements AutoCloseable {
    final List<NodeKey> keys = new ArrayList<>();
    final List<InMemoryStores> stores = new ArrayList<>();
    final List<QuicNetwork> networks = new ArrayList<>();
    final List<SyncEngine> engines = new ArrayList<>();
    final List<Path> folders = new ArrayList<>();
    /** Each node's UDP port once it started: a restarted node listens where its peers knew it. */
    final List<Integer> ports = new ArrayList<>();
    /** Each node's removal records, kept across {@link #stop}/{@link #start} like its store. */
    final List<Removals> removals = new ArrayList<>();
    GroupId group;

    /** Told of the membership changes every node makes as an authority. */
    final MembershipObserver observer;

    QuicCluster(Path base, int nodes) {
        this(base, nodes, MembershipObserver.NONE);
    }

    QuicCluster(Path base, int nodes, MembershipObserver observer) {
        this.observer = observer;
        for (int i = 0; i < nodes; i++) {
            keys.add(NodeKey.generate());
            stores.add(new InMemoryStores());
            folders.add(base.resolve("node" + i));
            networks.add(null);
            engines.add(null);
            ports.add(0);
            removals.add(Removals.inMemory());
            start(i);
        }
    }

    static EngineConfig config(int i) {
        return EngineConfig.defaults("node" + i).withTimings(Duration.ofMillis(500), Duration.ofSeconds(10));
    }

    void start(int i) {
        QuicNetwork net = new QuicNetwork(keys.get(i), new InetSocketAddress("127.0.0.1", ports.get(i)),
                TransportConfig.defaults());
        networks.set(i, net);
        engines.set(i, SyncEngine.start(keys.get(i), net, stores.get(i),
                config(i).withRemovals(removals.get(i)).withMembershipObserver(observer)));
        ports.set(i, net.localAddress().getPort());
    }

    /** Stops node i (engine and network); its store survives for {@link #start}. */
    void stop(int i) {
        engines.get(i).close();
    }

    /**
     * Stops node i the way a crash or a kill does: its UDP sockets go first, so no peer hears a
     * CONNECTION_CLOSE and their connections to it stay open until something notices.
     */
    void crash(int i) {
        networks.get(i).crashForTests();
        engines.get(i).close();
    }

    QuicCluster formGroup() {
        group = engines.get(0).createGroup("test", folders.get(0));
        Ticket t = engines.get(0).invite(group, Duration.ofHours(1), false);
        for (int i = 1; i < engines.size(); i++) {
            engines.get(i).join(Ticket.parse(t.text()), folders.get(i)).join();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> engines.stream()
                .allMatch(e -> e.group(group).map(g -> g.status().peers() >= 1).orElse(false)));
        return this;
    }

    GroupHandle handle(int i) {
        return engines.get(i).group(group).orElseThrow();
    }

    @Override
    public void close() {
        for (SyncEngine e : engines) {
            if (e != null) {
                e.close();
            }
        }
    }
}
