package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.transport.RogueConnection;

/**
 * The group secret's job on a link ({@link LinkProofs}), over real QUIC with a {@link RogueMember}
 * that holds a real ticket: a link carries a group only once it proved the current epoch.
 */
class LinkProofsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static RogueMember rogueIn(QuicCluster c) throws Exception {
        RogueMember r = RogueMember.join(Ticket.parse(c.engines.get(0).invite(c.group, Duration.ofHours(1), false).text()));
        Awaitility.await().atMost(WAIT).until(() -> c.handle(1).members().isMember(r.id()));
        return r;
    }

    @Test
    void aMemberWithTheOldEpochIsRefusedEntriesUntilItGetsTheNewSecret() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 3).formGroup(); RogueMember rogue = rogueIn(c)) {
            SyncEngine a = c.engines.get(0);
            SyncEngine b = c.engines.get(1);
            // The rogue is away while C is removed: it is still on the list, with the old secret.
            a.removeMember(c.group, c.engines.get(2).nodeId()).get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> RemovalTest.epoch(b, c.group) == 2);
            assertThat(c.handle(1).members().isMember(rogue.id())).isTrue();

            RogueConnection toB = rogue.link(b.listenAddresses().getFirst()); // proves epoch 1
            long unproven = b.stats().refusals(Refusal.UNPROVEN_LINK);
            Message.EntryBatch batch = rogue.batch(rogue.id(), 0, 1, List.of(rogue.file(1, "rogue.txt")));
            toB.send(batch);
            Awaitility.await("B refuses the stale link's entries").atMost(WAIT)
                    .until(() -> b.stats().refusals(Refusal.UNPROVEN_LINK) > unproven);
            assertThat(c.handle(1).knowledge().get(rogue.id())).isLessThanOrEqualTo(0);
            assertThat(toB.messages(Message.Knowledge.class)).as("no knowledge to an unproven link").isEmpty();
            assertThat(toB.messages(Message.PeerAddresses.class)).as("no addresses either").isEmpty();
            assertThat(toB.messages(Message.GroupSecretUpdate.class)).as("only the authority hands out secrets").isEmpty();

            // The authority sees the old epoch in the rogue's proof and sends it the current secret.
            RogueConnection toA = rogue.link(a.listenAddresses().getFirst());
            Message.GroupSecretUpdate u = toA.await(Message.GroupSecretUpdate.class, WAIT);
            assertThat(u.epoch()).isEqualTo(2);
            GroupSecret current = GroupSecret.of(u.epoch(), u.secret());
            Message.Hello bHello = toB.await(Message.Hello.class, WAIT);
            toB.send(LinkProofs.proof(current, c.group, rogue.id(), b.nodeId(), bHello.nonce()));
            toB.await(Message.Knowledge.class, WAIT);
            toB.send(batch);
            Awaitility.await("B takes the entries once the link proved epoch 2").atMost(WAIT)
                    .until(() -> c.handle(1).knowledge().get(rogue.id()) == 1);
        }
    }

    @Test
    void wrongProofsAndSecretsFromAMemberAreRefused() throws Exception {
        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup(); RogueMember rogue = rogueIn(c)) {
            SyncEngine b = c.engines.get(1);
            // A proof made with another secret (or for another connection's nonce) does not open the link.
            RogueConnection c1 = rogue.peer.dial(RogueMember.address(b.listenAddresses().getFirst()),
                    org.savesync.core.transport.Alpn.MEMBER, RogueMember.TIMEOUT);
            c1.send(new Message.Hello(Protocol.MAGIC, Protocol.VERSION, "rogue", List.of()));
            Message.Hello hello = c1.await(Message.Hello.class, WAIT);
            long bad = b.stats().refusals(Refusal.BAD_GROUP_PROOF);
            c1.send(LinkProofs.proof(GroupSecret.random(1), c.group, rogue.id(), b.nodeId(), hello.nonce()));
            c1.send(LinkProofs.proof(rogue.secret(), c.group, rogue.id(), b.nodeId(), Protocol.newHelloNonce()));
            Awaitility.await().atMost(WAIT).until(() -> b.stats().refusals(Refusal.BAD_GROUP_PROOF) >= bad + 2);
            long unproven = b.stats().refusals(Refusal.UNPROVEN_LINK);
            c1.send(rogue.batch(rogue.id(), 0, 1, List.of(rogue.file(1, "rogue.txt"))));
            Awaitility.await().atMost(WAIT).until(() -> b.stats().refusals(Refusal.UNPROVEN_LINK) > unproven);
            assertThat(c1.messages(Message.Knowledge.class)).isEmpty();
            c1.close();

            // A proven member that is not the authority cannot hand out a secret.
            RogueConnection toB = rogue.link(b.listenAddresses().getFirst());
            toB.await(Message.Knowledge.class, WAIT);
            long notAuthority = b.stats().refusals(Refusal.SECRET_NOT_FROM_AUTHORITY);
            toB.send(new Message.GroupSecretUpdate(c.group, 99, GroupSecret.random(99).bytes()));
            Awaitility.await().atMost(WAIT).until(() -> b.stats().refusals(Refusal.SECRET_NOT_FROM_AUTHORITY) > notAuthority);
            assertThat(RemovalTest.epoch(b, c.group)).isEqualTo(1);
            assertThat(c.stores.get(1).open(c.group).info().orElseThrow().secret().epoch()).isEqualTo(1);
            // and B still syncs with A
            java.nio.file.Files.writeString(c.folders.get(0).resolve("still.txt"), "still");
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            Awaitility.await().atMost(WAIT).until(() -> java.nio.file.Files.exists(c.folders.get(1).resolve("still.txt")));
        }
    }

    @Test
    void aProofIsBoundToTheGroupBothNodesTheNonceAndTheSecret() {
        GroupSecret s = GroupSecret.random(4);
        GroupId g = GroupId.random();
        var p = NodeKey.generate().nodeId();
        var v = NodeKey.generate().nodeId();
        byte[] n = Protocol.newHelloNonce();
        byte[] mac = LinkProofs.proof(s, g, p, v, n).mac();
        assertThat(mac).hasSize(Protocol.GROUP_PROOF_MAC_LENGTH);
        assertThat(LinkProofs.proof(s, g, p, v, n).mac()).isEqualTo(mac);
        assertThat(LinkProofs.proof(s, g, p, v, Protocol.newHelloNonce()).mac()).isNotEqualTo(mac);
        assertThat(LinkProofs.proof(s, g, v, p, n).mac()).isNotEqualTo(mac);
        assertThat(LinkProofs.proof(s, GroupId.random(), p, v, n).mac()).isNotEqualTo(mac);
        assertThat(LinkProofs.proof(s.rotate(), g, p, v, n).mac()).isNotEqualTo(mac);
        assertThat(LinkProofs.proof(s, g, p, v, n).epoch()).isEqualTo(4);
    }
}
