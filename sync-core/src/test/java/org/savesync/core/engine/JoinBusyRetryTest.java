package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.RogueConnection;
import org.savesync.core.transport.RoguePeer;
import org.savesync.core.transport.TransportConfig;

/**
 * An authority whose cap of open join connections from one address is reached answers 0x6 BUSY;
 * a joiner on that address asks again a moment later ({@link QuicNetwork#ask}) instead of failing
 * at once, and gives up with the authority's reason when the cap stays reached. (The CI run met
 * this: a member's ticket request failed with "too many join connections" while its own earlier
 * asks were still being closed.)
 */
class JoinBusyRetryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** Four join connections from 127.0.0.1, held open (the authority's per-address cap). */
    private static List<RogueConnection> holdTheCap(RoguePeer rogue, QuicNetwork authority) throws Exception {
        List<RogueConnection> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RogueConnection c = rogue.dial(authority.localAddress(), Alpn.JOIN, WAIT);
            c.keepAlive();
            held.add(c);
        }
        Awaitility.await().atMost(WAIT).until(() -> authority.joinConnectionsOpen() == 4);
        return held;
    }

    @Test
    void aJoinerMetWithBusyAsksAgainAndGetsInOnceAConnectionIsFree() throws Exception {
        NodeKey ka = NodeKey.generate();
        QuicNetwork net = new QuicNetwork(ka, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults());
        NodeKey kb = NodeKey.generate();
        try (RoguePeer rogue = RoguePeer.stranger();
             SyncEngine authority = SyncEngine.start(ka, net, new InMemoryStores(), QuicCluster.config(0));
             SyncEngine joiner = SyncEngine.start(kb, new QuicNetwork(kb, new InetSocketAddress("127.0.0.1", 0),
                     TransportConfig.defaults()), new InMemoryStores(), QuicCluster.config(1))) {
            GroupId g = authority.createGroup("g", tmp.resolve("a"));
            Ticket ticket = authority.invite(g, Duration.ofHours(1), true);
            List<RogueConnection> held = holdTheCap(rogue, net);
            long busyBefore = net.transportStats().refusedJoinBusy();

            CompletableFuture<GroupId> join = joiner.join(Ticket.parse(ticket.text()), tmp.resolve("b"));
            Awaitility.await("the first ask refused as busy").atMost(WAIT)
                    .until(() -> net.transportStats().refusedJoinBusy() > busyBefore);
            held.get(0).close();
            assertThat(join.get(60, TimeUnit.SECONDS)).isEqualTo(g);
            assertThat(authority.group(g).orElseThrow().members().isMember(joiner.nodeId())).isTrue();
            held.forEach(RogueConnection::close);
        }
    }

    @Test
    void aJoinerGivesUpWithTheAuthoritysReasonWhenItStaysBusy() throws Exception {
        NodeKey ka = NodeKey.generate();
        QuicNetwork net = new QuicNetwork(ka, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults());
        NodeKey kb = NodeKey.generate();
        try (RoguePeer rogue = RoguePeer.stranger();
             SyncEngine authority = SyncEngine.start(ka, net, new InMemoryStores(), QuicCluster.config(0));
             SyncEngine joiner = SyncEngine.start(kb, new QuicNetwork(kb, new InetSocketAddress("127.0.0.1", 0),
                     TransportConfig.defaults()), new InMemoryStores(), QuicCluster.config(1))) {
            GroupId g = authority.createGroup("g", tmp.resolve("a"));
            Ticket ticket = authority.invite(g, Duration.ofHours(1), true);
            List<RogueConnection> held = holdTheCap(rogue, net);
            long busyBefore = net.transportStats().refusedJoinBusy();

            assertThatThrownBy(() -> joiner.join(Ticket.parse(ticket.text()), tmp.resolve("b")).get(60,
                    TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("too many join connections");
            assertThat(net.transportStats().refusedJoinBusy() - busyBefore).as("the first ask and every retry")
                    .isGreaterThanOrEqualTo(1 + QuicNetwork.BUSY_RETRIES);
            assertThat(authority.group(g).orElseThrow().members().isMember(joiner.nodeId())).isFalse();
            held.forEach(RogueConnection::close);
        }
    }
}
