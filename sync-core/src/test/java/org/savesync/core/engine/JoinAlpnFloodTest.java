package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.HeldMemory;
import org.savesync.core.transport.RogueConnection;
import org.savesync.core.transport.RoguePeer;
import org.savesync.core.transport.TransportConfig;

/**
 * Memory before authentication on the join ALPN (issue 9, section 1): strangers with fresh keys,
 * from 20 source addresses, open the join ALPN and announce 4 MiB frames on 64 unidirectional
 * streams and on the control stream, then keep the connections alive. Before the fix each header
 * made the authority allocate 4 MiB at once (20 x 65 x 4 MiB, more than the test JVM's heap).
 * Now the join sub-protocol has no unidirectional streams, request frames of at most 1 MiB whose
 * buffers grow only as bytes arrive, and caps on open join connections; what the authority
 * holds (retained heap and Netty's direct buffers) stays under {@link #HEAP_BOUND_BYTES} and a
 * real join still succeeds during the attack.
 */
class JoinAlpnFloodTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROGUES = 20;
    private static final int FOUR_MIB = 4 * 1024 * 1024;
    /**
     * What the attack may make the authority retain, with everything the test JVM does beside it:
     * 64 MiB. The attack announced 20 x 65 x 4 MiB = 5.2 GiB; the limits allow 20 x 16 KiB of
     * first buffers for announced-but-unsent frames.
     */
    private static final long HEAP_BOUND_BYTES = 64L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void twentyStrangersAnnouncingHugeFramesOnManyStreamsCannotGrowTheHeapAndARealJoinSucceeds() throws Exception {
        NodeKey ka = NodeKey.generate();
        QuicNetwork net = new QuicNetwork(ka, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults());
        NodeKey kb = NodeKey.generate();
        List<RoguePeer> rogues = new ArrayList<>();
        try (SyncEngine authority = SyncEngine.start(ka, net, new InMemoryStores(), QuicCluster.config(0));
             SyncEngine joiner = SyncEngine.start(kb, new QuicNetwork(kb, new InetSocketAddress("127.0.0.1", 0),
                     TransportConfig.defaults()), new InMemoryStores(), QuicCluster.config(1))) {
            GroupId g = authority.createGroup("g", tmp.resolve("a"));
            Ticket ticket = authority.invite(g, Duration.ofHours(1), true);
            long before = HeldMemory.bytes();

            // Phase 1, the attack of the issue: 64 uni streams and the control stream, each announcing
            // 4 MiB, kept open. Half the strangers start with the uni streams, half with the control stream.
            List<RogueConnection> flood = new ArrayList<>();
            for (int i = 0; i < ROGUES; i++) {
                RoguePeer rogue = RoguePeer.stranger(InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) (i + 1)}));
                rogues.add(rogue);
                RogueConnection c = rogue.dial(net.localAddress(), Alpn.JOIN, WAIT);
                flood.add(c);
                if (i % 2 == 1) {
                    c.control().header(FOUR_MIB).raw(new byte[1000]);
                }
                for (int s = 0; s < 64 && c.isOpen(); s++) {
                    try {
                        c.openUni().header(FOUR_MIB).raw(new byte[1000]);
                    } catch (IllegalStateException closedUnderUs) {
                        break; // the authority closed the connection: what it should do
                    }
                }
                if (i % 2 == 0 && c.isOpen()) {
                    c.control().header(FOUR_MIB).raw(new byte[1000]);
                }
                c.keepAlive();
            }
            awaitWithinHeapBound(before, "phase 1 (20 connections x 65 announced 4 MiB frames)",
                    () -> flood.stream().noneMatch(RogueConnection::isOpen));
            assertThat(flood).allSatisfy(c -> assertThat(c.closeDescription())
                    .satisfiesAnyOf(d -> assertThat(d).contains("code 0x2"), d -> assertThat(d).contains("code 0x3")));

            // Phase 2, within the rules: each stranger announces the largest request, sends 100 bytes of it, stays.
            List<RogueConnection> held = new ArrayList<>();
            for (RoguePeer rogue : rogues) {
                RogueConnection c = rogue.dial(net.localAddress(), Alpn.JOIN, WAIT);
                c.control().header(1024 * 1024).raw(new byte[100]);
                c.keepAlive();
                held.add(c);
            }
            awaitWithinHeapBound(before, "phase 2 (20 held join connections)",
                    () -> net.joinConnectionsOpen() == ROGUES);

            // A fifth join connection from one address, and the 33rd in all, are refused at once (0x6 BUSY).
            RoguePeer sameHost = RoguePeer.stranger(InetAddress.getByAddress(new byte[] {127, 0, 1, 1}));
            rogues.add(sameHost);
            List<RogueConnection> more = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                more.add(sameHost.dial(net.localAddress(), Alpn.JOIN, WAIT));
            }
            long busyBefore = net.transportStats().refusedJoinBusy();
            assertThat(refused(sameHost, net)).as("5th join connection from 127.0.1.1").contains("code 0x6");
            assertThat(net.transportStats().refusedJoinBusy()).isEqualTo(busyBefore + 1);
            for (int i = 0; i < 9; i++) {
                RoguePeer other = RoguePeer.stranger(InetAddress.getByAddress(new byte[] {127, 0, 2, (byte) (i + 1)}));
                rogues.add(other);
                more.add(other.dial(net.localAddress(), Alpn.JOIN, WAIT));
            }
            assertThat(net.joinConnectionsOpen()).isEqualTo(32);
            RoguePeer late = RoguePeer.stranger(InetAddress.getByAddress(new byte[] {127, 0, 3, 1}));
            rogues.add(late);
            assertThat(refused(late, net)).as("33rd join connection").contains("code 0x6");
            more.forEach(RogueConnection::close);
            awaitWithinHeapBound(before, "back to 20 held", () -> net.joinConnectionsOpen() <= ROGUES);

            // A real member still joins while the 20 strangers hold their connections.
            joiner.join(Ticket.parse(ticket.text()), tmp.resolve("b")).get(60, TimeUnit.SECONDS);
            assertThat(authority.group(g).orElseThrow().members().isMember(joiner.nodeId())).isTrue();
            assertWithinHeapBound(before, "after the real join");
            assertThat(net.transportStats().refusedNonMember()).isZero();
        } finally {
            rogues.forEach(RoguePeer::close);
        }
    }

    private static String refused(RoguePeer rogue, QuicNetwork net) {
        try {
            RogueConnection c = rogue.dial(net.localAddress(), Alpn.JOIN, WAIT);
            return "accepted " + c;
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }

    /** Waits for {@code done}, failing as soon as what the authority holds passes the bound. */
    private static void awaitWithinHeapBound(long before, String phase, BooleanSupplier done) {
        Awaitility.await(phase).atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertWithinHeapBound(before, phase); // an AssertionError ends the wait at once
            return done.getAsBoolean();
        });
        assertWithinHeapBound(before, phase);
    }

    private static void assertWithinHeapBound(long before, String phase) {
        long grown = HeldMemory.bytes() - before;
        assertThat(grown).as("%s: bytes held beyond the start (retained heap + Netty's pooled direct memory,"
                + " where QUIC frames are received; bound %d MiB)", phase, HEAP_BOUND_BYTES >> 20)
                .isLessThan(HEAP_BOUND_BYTES);
    }
}
