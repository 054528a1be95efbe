package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.PeerRefusedException;
import org.savesync.core.transport.QuicEndpoint;
import org.savesync.core.transport.TransportConfig;

/**
 * Removing a member of a hub-less group (A, its creator, is the authority) over real QUIC on
 * loopback: the door shuts for the removed node on every path, the others keep syncing under
 * the new secret epoch.
 */
class RemovalTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    static long epoch(SyncEngine e, GroupId g) {
        return e.call(() -> e.group(g).isPresent() ? (e.replicas().stream().filter(r -> r.id.equals(g)).findFirst()
                .map(r -> r.info().secret().epoch()).orElse(-1L)) : -1L).join();
    }

    private static void write(QuicCluster c, int i, String name) throws Exception {
        Files.writeString(c.folders.get(i).resolve(name), "from node" + i + ": " + name);
        c.handle(i).scan().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aRemovedMemberIsShutOutAndTheOthersKeepSyncingUnderANewEpoch() throws Exception {
        List<Member> observed = new ArrayList<>();
        try (QuicCluster c = new QuicCluster(tmp, 3).formGroup()) {
            SyncEngine a = c.engines.get(0);
            SyncEngine b = c.engines.get(1);
            SyncEngine cc = c.engines.get(2);
            Ticket old = a.invite(c.group, Duration.ofHours(1), false);
            write(c, 0, "before.txt");
            Awaitility.await("C has A's file").atMost(WAIT).until(() -> Files.exists(c.folders.get(2).resolve("before.txt")));
            long before = epoch(a, c.group);

            Removal rm = a.removeMember(c.group, cc.nodeId()).get(30, TimeUnit.SECONDS);

            assertThat(rm.node()).isEqualTo(cc.nodeId());
            assertThat(rm.name()).isEqualTo("node2");
            assertThat(rm.secretEpoch()).isEqualTo(before + 1);
            assertThat(rm.listVersion()).isEqualTo(c.handle(0).members().version());
            assertThat(c.handle(0).members().isMember(cc.nodeId())).isFalse();
            Awaitility.await("C learns it was removed, and has no link left").atMost(Duration.ofSeconds(5))
                    .until(() -> cc.group(c.group).flatMap(GroupHandle::removed).isPresent()
                            && cc.connectedPeers().isEmpty());
            Removals.Removed removed = cc.group(c.group).orElseThrow().removed().orElseThrow();
            assertThat(removed.by()).isEqualTo(a.nodeId());
            assertThat(cc.group(c.group).orElseThrow().status().peers()).isZero();
            assertThat(Files.exists(c.folders.get(2).resolve("before.txt"))).as("its files stay").isTrue();
            Awaitility.await("A and B hold the new epoch").atMost(WAIT)
                    .until(() -> epoch(a, c.group) == before + 1 && epoch(b, c.group) == before + 1);
            assertThat(c.stores.get(2).open(c.group).info().orElseThrow().secret().epoch())
                    .as("C keeps its info, and never gets the new secret").isEqualTo(before);
            assertThat(a.connectedPeers()).extracting(SyncEngine.PeerLink::node).doesNotContain(cc.nodeId());
            assertThat(b.connectedPeers()).extracting(SyncEngine.PeerLink::node).doesNotContain(cc.nodeId());

            // A and B keep syncing; nothing of it reaches C.
            write(c, 0, "after.txt");
            Awaitility.await("B has A's new file").atMost(WAIT).until(() -> Files.exists(c.folders.get(1).resolve("after.txt")));
            write(c, 1, "from-b.txt");
            Awaitility.await("A has B's new file").atMost(WAIT).until(() -> Files.exists(c.folders.get(0).resolve("from-b.txt")));
            long aSeq = c.handle(0).knowledge().get(a.nodeId());
            assertThat(cc.group(c.group).orElseThrow().knowledge().get(a.nodeId())).isLessThan(aSeq);
            assertThat(Files.exists(c.folders.get(2).resolve("after.txt"))).isFalse();

            // C dialling A directly is refused at the door; its old ticket is dead.
            try (QuicEndpoint asC = QuicEndpoint.start(c.keys.get(2), new InetSocketAddress("127.0.0.1", 0),
                    TransportConfig.defaults(), p -> false, conn -> { })) {
                assertThatThrownBy(() -> asC.dial(c.networks.get(0).localAddress(), a.nodeId(), Alpn.MEMBER).join())
                        .isInstanceOf(CompletionException.class).cause()
                        .isInstanceOfSatisfying(PeerRefusedException.class, e -> assertThat(e.notAMember()).isTrue());
            }
            assertThatThrownBy(() -> cc.join(Ticket.parse(old.text()), tmp.resolve("again")).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("revoked");
            assertThat(Files.exists(c.folders.get(2).resolve("after.txt"))).isFalse();

            // After a restart C's group stays stopped and shown as removed.
            c.stop(2);
            c.start(2);
            SyncEngine restarted = c.engines.get(2);
            assertThat(restarted.group(c.group).orElseThrow().removed()).contains(removed);
            assertThat(restarted.group(c.group).orElseThrow().folder()).isEqualTo(c.folders.get(2));
            write(c, 0, "after-restart.txt");
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(c.folders.get(1).resolve("after-restart.txt")));
            assertThat(restarted.connectedPeers()).isEmpty();
            assertThat(Files.exists(c.folders.get(2).resolve("after-restart.txt"))).isFalse();

            // Let in again with a new ticket, it syncs again and is no longer shown as removed.
            Ticket fresh = a.invite(c.group, Duration.ofHours(1), true);
            restarted.join(Ticket.parse(fresh.text()), c.folders.get(2)).get(30, TimeUnit.SECONDS);
            assertThat(restarted.group(c.group).orElseThrow().removed()).isEmpty();
            assertThat(c.removals.get(2).get(c.group)).isEmpty();
            Awaitility.await("back in, it gets what it missed").atMost(WAIT)
                    .until(() -> Files.exists(c.folders.get(2).resolve("after-restart.txt")));
        }
    }

    @Test
    void onlyTheAuthorityRemovesAndNeverItselfOrAStranger() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup()) {
            SyncEngine a = c.engines.get(0);
            SyncEngine b = c.engines.get(1);
            assertThatThrownBy(() -> b.removeMember(c.group, a.nodeId()).join()).cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this node is not the authority of group " + c.group);
            assertThatThrownBy(() -> a.removeMember(c.group, a.nodeId()).join()).cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the group's authority cannot be removed");
            NodeId stranger = org.savesync.core.identity.NodeKey.generate().nodeId();
            assertThatThrownBy(() -> a.removeMember(c.group, stranger).join()).cause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a member of group");
            assertThat(epoch(a, c.group)).as("nothing rotated").isEqualTo(1);
            assertThat(c.handle(1).members().isMember(b.nodeId())).isTrue();
        }
    }

    @Test
    void aLeaveRotatesTheSecretTooAndTheObserverHearsOfEveryChange() throws Exception {
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        MembershipObserver observer = new MembershipObserver() {
            @Override
            public void joined(GroupId group, Member member) {
                heard.add("joined " + member.name());
            }

            @Override
            public void left(GroupId group, Member member) {
                heard.add("left " + member.name());
            }

            @Override
            public void removed(GroupId group, Member member) {
                heard.add("removed " + member.name());
            }
        };
        try (QuicCluster c = new QuicCluster(tmp, 3, observer).formGroup()) {
            SyncEngine a = c.engines.get(0);
            c.engines.get(1).leaveGroup(c.group).get(30, TimeUnit.SECONDS);
            assertThat(epoch(a, c.group)).isEqualTo(2);
            Awaitility.await("C gets the new epoch from A").atMost(WAIT).until(() -> epoch(c.engines.get(2), c.group) == 2);
            a.removeMember(c.group, c.engines.get(2).nodeId()).get(30, TimeUnit.SECONDS);
            assertThat(epoch(a, c.group)).isEqualTo(3);
            assertThat(heard).containsExactly("joined node1", "joined node2", "left node1", "removed node2");
        }
    }

    @Test
    void aHubThatIsTheAuthorityRemovesAnAgent() throws Exception {
        try (HubAndAgents c = new HubAndAgents(tmp, 3)) {
            SyncEngine gone = c.agents.get(2);
            Removal rm = c.hub.removeMember(c.group, gone.nodeId()).get(30, TimeUnit.SECONDS);
            assertThat(rm.secretEpoch()).isEqualTo(2);
            assertThatThrownBy(() -> c.hub.removeMember(c.group, c.hub.nodeId()).join()).cause()
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authority cannot be removed");
            Awaitility.await("the removed agent is stopped, without links").atMost(Duration.ofSeconds(5))
                    .until(() -> gone.group(c.group).flatMap(GroupHandle::removed).isPresent()
                            && gone.connectedPeers().isEmpty());
            assertThat(gone.group(c.group).orElseThrow().removed().orElseThrow().by()).isEqualTo(c.hub.nodeId());
            Awaitility.await("the others hold the new epoch").atMost(WAIT)
                    .until(() -> epoch(c.agents.get(0), c.group) == 2 && epoch(c.agents.get(1), c.group) == 2);
            Files.writeString(c.folders.get(0).resolve("after.txt"), "after");
            c.handle(c.agents.get(0)).scan().get(60, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(c.folders.get(1).resolve("after.txt")));
            assertThat(Files.exists(c.folders.get(2).resolve("after.txt"))).isFalse();
        }
    }
}
