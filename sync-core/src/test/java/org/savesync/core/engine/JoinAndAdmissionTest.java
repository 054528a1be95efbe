package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Ticket;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.PeerRefusedException;
import org.savesync.core.transport.QuicEndpoint;
import org.savesync.core.transport.TransportConfig;

/**
 * Joining over real QUIC: bad, expired, revoked and reused tokens are refused with a clear
 * message and change no member list; a node that is no member may use the join ALPN but
 * is refused on the member ALPN.
 */
class JoinAndAdmissionTest {
    @TempDir
    Path tmp;

    private final AtomicLong authorityClockOffset = new AtomicLong();

    private SyncEngine engine(NodeKey k, boolean authority) {
        EngineConfig cfg = QuicCluster.config(0);
        if (authority) {
            cfg = cfg.withWallClock(() -> System.currentTimeMillis() + authorityClockOffset.get());
        }
        return SyncEngine.start(k, new QuicNetwork(k, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults()),
                new InMemoryStores(), cfg);
    }

    private static String refusal(SyncEngine joiner, Ticket t, Path folder) {
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> joiner.join(t, folder).get(30, TimeUnit.SECONDS));
        while (e != null && !(e instanceof JoinException)) {
            e = e.getCause();
        }
        assertThat(e).as("a JoinException").isNotNull();
        return e.getMessage();
    }

    @Test
    void badExpiredRevokedAndReusedTokensAreRefused() throws Exception {
        try (SyncEngine a = engine(NodeKey.generate(), true);
             SyncEngine b = engine(NodeKey.generate(), false);
             SyncEngine c = engine(NodeKey.generate(), false)) {
            GroupId g = a.createGroup("g", tmp.resolve("a"));
            Ticket good = a.invite(g, Duration.ofHours(1), true);

            Ticket forged = new Ticket(good.group(), good.groupName(), good.authority(), good.addresses(),
                    InviteToken.random(), good.expiresAtMillis());
            assertThat(refusal(b, forged, tmp.resolve("b"))).contains("refused").containsIgnoringCase("not known");

            Ticket revoked = a.invite(g, Duration.ofHours(1), true);
            a.revokeInvite(revoked);
            assertThat(refusal(b, revoked, tmp.resolve("b"))).containsIgnoringCase("revoked");

            Ticket soonExpired = a.invite(g, Duration.ofMinutes(1), true);
            authorityClockOffset.set(Duration.ofMinutes(2).toMillis()); // the authority's clock moves past it
            assertThat(refusal(b, soonExpired, tmp.resolve("b"))).containsIgnoringCase("expired");
            authorityClockOffset.set(0);

            assertThat(a.group(g).orElseThrow().members().members()).hasSize(1);

            b.join(good, tmp.resolve("b")).get(30, TimeUnit.SECONDS);
            assertThat(a.group(g).orElseThrow().members().isMember(b.nodeId())).isTrue();
            assertThat(refusal(c, good, tmp.resolve("c"))).containsIgnoringCase("already used");
            assertThat(a.group(g).orElseThrow().members().isMember(c.nodeId())).isFalse();
            assertThat(a.stats().refusals(EngineStats.Refusal.JOIN_REFUSED)).isEqualTo(4);
        }
    }

    @Test
    void aNonMemberIsRefusedOnTheMemberAlpnOfAnEngine() throws Exception {
        NodeKey ka = NodeKey.generate();
        QuicNetwork net = new QuicNetwork(ka, new InetSocketAddress("127.0.0.1", 0), TransportConfig.defaults());
        try (SyncEngine a = SyncEngine.start(ka, net, new InMemoryStores(), QuicCluster.config(0));
             QuicEndpoint stranger = QuicEndpoint.start(NodeKey.generate(), new InetSocketAddress("127.0.0.1", 0),
                     TransportConfig.defaults(), p -> false, conn -> { })) {
            a.createGroup("g", tmp.resolve("a"));
            assertThatThrownBy(() -> stranger.dial(net.localAddress(), a.nodeId(), Alpn.MEMBER).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(PeerRefusedException.class);
            assertThat(net.transportStats().refusedNonMember()).isEqualTo(1);
            // The join ALPN is open to anyone (what they may do there is present a token).
            var join = stranger.dial(net.localAddress(), a.nodeId(), Alpn.JOIN).get(30, TimeUnit.SECONDS);
            assertThat(join.isOpen()).isTrue();
            join.close("done");
        }
    }
}
