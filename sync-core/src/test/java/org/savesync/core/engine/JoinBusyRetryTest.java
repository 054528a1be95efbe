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

    /** An authority with a group and a ticket, a joiner, and the authority's cap of join connections held. */
    private final class Busy implements AutoCloseable {
        final QuicNetwork net;
        final RoguePeer rogue = RoguePeer.stranger();
        final SyncEngine authority;
        final SyncEngine joiner;
        final GroupId group;
        final Ticket ticket;
        final List<RogueConnection> held;
        final long busyBefore;

        Busy() throws Exception {
            NodeKey ka = NodeKey.generate();
            NodeKey kb = NodeKey.generate();
            net = new QuicNetwork(ka, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults());
            authority = SyncEngine.start(ka, net, new InMemoryStores(), QuicCluster.config(0));
            joiner = SyncEngine.start(kb, new QuicNetwork(kb, new InetSocketAddress("127.0.0.1", 0),
                    TransportConfig.defaults()), new InMemoryStores(), QuicCluster.config(1));
            group = authority.createGroup("g", tmp.resolve("a"));
            ticket = authority.invite(group, Duration.ofHours(1), true);
            held = holdTheCap(rogue, net);
            busyBefore = net.transportStats().refusedJoinBusy();
        }

        CompletableFuture<GroupId> join() {
            return joiner.join(Ticket.parse(ticket.text()), tmp.resolve("b"));
        }

        boolean joined() {
            return authority.group(group).orElseThrow().members().isMember(joiner.nodeId());
        }

        @Override
        public void close() {
            held.forEach(RogueConnection::close);
            joiner.close();
            authority.close();
            rogue.close();
        }
    }

    @Test
    void aJoinerMetWithBusyAsksAgainAndGetsInOnceAConnectionIsFree() throws Exception {
        try (Busy b = new Busy()) {
            CompletableFuture<GroupId> join = b.join();
            Awaitility.await("the first ask refused as busy").atMost(WAIT)
                    .until(() -> b.net.transportStats().refusedJoinBusy() > b.busyBefore);
            b.held.get(0).close();
            assertThat(join.get(60, TimeUnit.SECONDS)).isEqualTo(b.group);
            assertThat(b.joined()).isTrue();
        }
    }

    @Test
    void aJoinerGivesUpWithTheAuthoritysReasonWhenItStaysBusy() throws Exception {
        try (Busy b = new Busy()) {
            assertThatThrownBy(() -> b.join().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("too many join connections");
            assertThat(b.net.transportStats().refusedJoinBusy() - b.busyBefore).as("the first ask and every retry")
                    .isGreaterThanOrEqualTo(1 + QuicNetwork.BUSY_RETRIES);
            assertThat(b.joined()).isFalse();
        }
    }
}
