package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.JoinResponse;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.RogueConnection;
import org.savesync.core.transport.RoguePeer;

/**
 * A flood of strangers on the join sub-protocol, over real QUIC: many fresh keys, from the
 * joiner's own address and from another one, present invented invite tokens (and some ask for
 * groups that do not exist). The real joiner with a valid ticket still gets in, the limiter's
 * state stays bounded, no stranger is let in, and the group still syncs.
 */
class JoinFloodTest {
    /** More fresh keys than the old shared budget of 60 refusals a minute. */
    private static final int STRANGERS = 70;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void strangersWithBadTicketsCannotLockOutARealJoiner() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2)) {
            SyncEngine a = c.engines.get(0);
            SyncEngine b = c.engines.get(1);
            GroupId g = a.createGroup("flooded", c.folders.get(0));
            Ticket real = a.invite(g, Duration.ofHours(1), true);
            InetSocketAddress authority = QuicNetwork.parseAddress(a.listenAddresses().getFirst());

            // Fresh keys with invented tokens: odd ones from 127.0.0.1 (where B joins from), even from 127.0.0.2.
            List<JoinResponse> fromJoinersAddress = new ArrayList<>();
            for (int i = 0; i < STRANGERS; i++) {
                InetAddress from = RoguePeer.loopback(i % 2 == 1 ? 1 : 2);
                GroupId asked = i % 10 == 0 ? GroupId.random() : g;
                try (RoguePeer r = RoguePeer.withKey(NodeKey.generate(), from)) {
                    JoinResponse resp = badJoin(r, authority, asked);
                    assertThat(resp.accepted()).as("stranger %d", i).isFalse();
                    if (i % 2 == 1 && asked.equals(g)) {
                        fromJoinersAddress.add(resp);
                    }
                }
            }
            // Past its budget, an address gets no reason for a refusal: floods learn nothing.
            assertThat(fromJoinersAddress.getLast().errorKind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(fromJoinersAddress.getFirst().error()).contains("not known");

            // The real joiner, from 127.0.0.1 like half the flood, with a valid single-use ticket.
            b.join(Ticket.parse(real.text()), c.folders.get(1)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // One stranger that keeps trying with one key is refused outright after its own budget.
            JoinResponse last = null;
            try (RoguePeer stubborn = RoguePeer.withKey(NodeKey.generate(), RoguePeer.loopback(3))) {
                for (int i = 0; i <= JoinLimiter.PER_NODE; i++) {
                    last = badJoin(stubborn, authority, g);
                }
            }
            assertThat(last.errorKind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(last.error()).contains("too many refused attempts from this node");

            assertThat(a.group(g).orElseThrow().members().members()).as("only A and B are members").hasSize(2)
                    .anySatisfy(m -> assertThat(m.id()).isEqualTo(b.nodeId()));
            int[] counters = a.joinLimiter().size();
            assertThat(counters[0]).as("(group, node) counters: one per refused node").isEqualTo(STRANGERS + 1);
            assertThat(counters[1]).as("(group, source) counters: three addresses, two groups")
                    .isLessThanOrEqualTo(5);
            assertThat(a.stats().refusals(EngineStats.Refusal.JOIN_REFUSED)
                    + a.stats().refusals(EngineStats.Refusal.JOIN_RATE_LIMITED)).isEqualTo(STRANGERS + JoinLimiter.PER_NODE + 1);

            // Honest members still sync, both ways.
            Files.writeString(c.folders.get(0).resolve("after-the-flood.txt"), "from A");
            a.group(g).orElseThrow().scan().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Awaitility.await("A's file on B").atMost(TIMEOUT)
                    .until(() -> Files.exists(c.folders.get(1).resolve("after-the-flood.txt")));
            Files.writeString(c.folders.get(1).resolve("from-b.txt"), "from B");
            b.group(g).orElseThrow().scan().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Awaitility.await("B's file on A").atMost(TIMEOUT)
                    .until(() -> Files.exists(c.folders.get(0).resolve("from-b.txt")));
        }
    }

    /** One join connection from {@code r} with an invented token for {@code group}; the answer. */
    private static JoinResponse badJoin(RoguePeer r, InetSocketAddress authority, GroupId group) throws IOException {
        try (RogueConnection conn = r.dial(authority, Alpn.JOIN, TIMEOUT)) {
            conn.sendJoin(new Message.JoinRequest(Protocol.MAGIC, Protocol.VERSION, group, InviteToken.random().text(),
                    "stranger", List.of()));
            return conn.await(JoinResponse.class, TIMEOUT);
        }
    }
}
