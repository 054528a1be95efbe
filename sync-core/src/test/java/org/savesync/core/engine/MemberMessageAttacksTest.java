package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.core.transport.RogueConnection;

/**
 * The review of every member-protocol handler of the engine (issue 9: every count, id and
 * address from a peer is bounded and checked against who sent it and for which group), one
 * case per finding, each over real QUIC from a {@link RogueMember} against an agent (the
 * victim) of a group with a hub. Each checks the attack changed nothing and that honest
 * members still sync.
 */
class MemberMessageAttacksTest {
    @TempDir
    Path tmp;
    HubAndAgents c;
    SyncEngine a;
    SyncEngine victim;
    RogueMember rogue;
    RogueConnection link;

    @BeforeEach
    void setUp() throws Exception {
        c = new HubAndAgents(tmp, 2);
        a = c.agents.get(0);
        victim = c.agents.get(1);
        rogue = RogueMember.join(c.ticket());
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> c.handle(victim).members().isMember(rogue.id()));
        link = rogue.link(HubAndAgents.address(victim));
    }

    @AfterEach
    void tearDown() {
        if (rogue != null) {
            rogue.close();
        }
        if (c != null) {
            c.close();
        }
    }

    private <T> T onEngine(SyncEngine e, SyncEngine.EngineCall<T> call) {
        return e.call(call).join();
    }

    /** An honest edit of A still reaches the victim and the hub. */
    private void honestMembersStillSync(String name) throws Exception {
        Files.writeString(c.folders.get(0).resolve(name), "honest " + name);
        c.handle(a).scan().get(60, TimeUnit.SECONDS);
        long seq = c.handle(a).knowledge().get(a.nodeId());
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> Files.exists(c.folders.get(1).resolve(name))
                && c.handle(c.hub).knowledge().get(a.nodeId()) == seq && c.hubHoldsEveryBlob());
    }

    private static SignedRecord file(GroupId group, NodeKey signer, long seq, String path) {
        Entry e = Entry.file(group, signer.nodeId(), seq, SafePath.of(path), BlobId.EMPTY, 0, 0, false,
                Hlc.of(System.currentTimeMillis(), 0), VersionVector.EMPTY.increment(signer.nodeId()));
        return RogueMember.record(SignedEntry.sign(e, signer));
    }

    /** Finding: entry batches were verified (signatures checked) before the group and the sender's membership. */
    @Test
    void entriesForAGroupTheSenderIsNotInAreRefusedWithoutVerifyingThem() throws Exception {
        GroupId other = victim.createGroup("private", tmp.resolve("private"));
        List<SignedRecord> forOther = new ArrayList<>();
        List<SignedRecord> forNone = new ArrayList<>();
        GroupId unknown = GroupId.random();
        for (int i = 1; i <= Protocol.MAX_ENTRIES_PER_BATCH; i++) {
            forOther.add(file(other, rogue.key(), i, "intruder-" + i));
            forNone.add(file(unknown, rogue.key(), i, "nowhere-" + i));
        }
        long verified = victim.stats().entriesVerified.sum();
        long notMember = victim.stats().refusals(Refusal.NOT_A_MEMBER);
        long wrongGroup = victim.stats().refusals(Refusal.WRONG_GROUP);
        link.send(new Message.EntryBatch(other, rogue.id(), 0, Protocol.MAX_ENTRIES_PER_BATCH, forOther));
        link.send(new Message.EntryBatch(unknown, rogue.id(), 0, Protocol.MAX_ENTRIES_PER_BATCH, forNone));
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> victim.stats().refusals(Refusal.NOT_A_MEMBER) > notMember
                && victim.stats().refusals(Refusal.WRONG_GROUP) > wrongGroup);
        assertThat(victim.stats().entriesVerified.sum() - verified).as("signatures checked").isZero();
        assertThat(victim.group(other).orElseThrow().knowledge().highest()).doesNotContainKey(rogue.id());
        try (var s = Files.list(tmp.resolve("private"))) {
            assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("intruder-1");
        }
        honestMembersStillSync("after-other-group.txt");
    }

    /** Finding: a knowledge report was kept whole, any number of made-up authors with it. */
    @Test
    void knowledgeNamingMadeUpAuthorsKeepsNothingOfThem() throws Exception {
        Map<NodeId, Long> marks = new HashMap<>();
        for (int i = 0; i < Protocol.MAX_MEMBERS - 1; i++) {
            marks.put(NodeKey.generate().nodeId(), Long.MAX_VALUE);
        }
        marks.put(a.nodeId(), 0L);
        link.send(new Message.Knowledge(c.group, marks));
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() ->
                onEngine(victim, () -> victim.replica(c.group).exchange.reportedAuthors(rogue.id())) > 0);
        int kept = onEngine(victim, () -> victim.replica(c.group).exchange.reportedAuthors(rogue.id()));
        assertThat(kept).as("authors kept of the rogue's report").isLessThanOrEqualTo(
                c.handle(victim).members().members().size());
        assertThat(c.handle(victim).knowledge().highest().keySet()).allMatch(n -> c.handle(victim).members().isMember(n));
        honestMembersStillSync("after-knowledge.txt");
    }

    /** Finding: any member's gossip replaced the addresses of any other member (and each change redialled). */
    @Test
    void addressGossipCannotRedirectAnotherMember() throws Exception {
        Map<NodeId, List<String>> before = onEngine(victim, () -> Map.copyOf(victim.replica(c.group).info().peerAddresses()));
        assertThat(before).containsKey(a.nodeId());
        NodeId stranger = NodeKey.generate().nodeId();
        link.send(new Message.PeerAddresses(c.group, List.of(
                new Message.PeerAddress(a.nodeId(), List.of("127.0.0.1:9")),
                new Message.PeerAddress(victim.nodeId(), List.of("127.0.0.1:9")),
                new Message.PeerAddress(stranger, List.of("127.0.0.1:9")),
                new Message.PeerAddress(rogue.id(), List.of("127.0.0.1:11")))));
        // The rogue may say where it is itself: once that is stored, the message was handled.
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> List.of("127.0.0.1:11").equals(
                onEngine(victim, () -> victim.replica(c.group).info().peerAddresses().get(rogue.id()))));
        Map<NodeId, List<String>> after = onEngine(victim, () -> Map.copyOf(victim.replica(c.group).info().peerAddresses()));
        assertThat(after.get(a.nodeId())).as("A's addresses").isEqualTo(before.get(a.nodeId()));
        assertThat(after).doesNotContainKeys(stranger, victim.nodeId());
        honestMembersStillSync("after-gossip.txt");
    }

    /** Finding: every missing batch was sent at once, however many, to a peer that never read them. */
    @Test
    void aPeerThatNeverAcknowledgesIsSentOneWindowOfBatches() throws Exception {
        int files = 4 * Protocol.MAX_ENTRIES_PER_BATCH + 50; // five batches of A's entries
        Path dir = c.folders.get(0).resolve("many");
        Files.createDirectories(dir);
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("f" + i), "");
        }
        c.handle(a).scan().get(120, TimeUnit.SECONDS);
        long mark = c.handle(a).knowledge().get(a.nodeId());
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> c.handle(victim).knowledge().get(a.nodeId()) == mark);

        link.send(new Message.Knowledge(c.group, Map.of())); // "I know nothing": and then it never reads on
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> batchesAbout(a.nodeId()).size()
                >= IndexExchange.BATCHES_IN_FLIGHT);
        int inFlight = onEngine(victim, () -> victim.replica(c.group).exchange.inFlight(rogue.id()));
        assertThat(inFlight).as("batches in flight to the rogue").isLessThanOrEqualTo(IndexExchange.BATCHES_IN_FLIGHT);
        assertThat(batchesAbout(a.nodeId()).stream().map(Message.EntryBatch::afterSeq).distinct().count())
                .as("distinct batches sent before any acknowledgement")
                .isLessThanOrEqualTo(IndexExchange.BATCHES_IN_FLIGHT);

        // Acknowledging opens the window again, up to the end.
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> {
            long acked = batchesAbout(a.nodeId()).stream().mapToLong(Message.EntryBatch::upToSeq).max().orElse(0);
            link.send(new Message.Knowledge(c.group, Map.of(a.nodeId(), acked)));
            return acked == mark;
        });
        honestMembersStillSync("after-window.txt");
    }

    private List<Message.EntryBatch> batchesAbout(NodeId author) {
        return link.messages(Message.EntryBatch.class).stream().filter(b -> b.author().equals(author)).toList();
    }
}
