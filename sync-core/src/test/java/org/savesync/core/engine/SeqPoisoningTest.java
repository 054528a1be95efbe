package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.identity.NodeId;
import org.savesync.core.transport.RogueConnection;

/**
 * Seq-counter poisoning (issue 9, section 1): a member sends an {@code EntryBatch} whose
 * {@code up_to_seq} is far above the entries in it (none at all, up to 2^63-1), about an
 * honest author, about the receiver itself, to agents and to the hub. Knowledge of an author
 * rises only to what the author's verified entries prove, so nothing changes: the author's
 * next edits reach every agent and the hub, and the author (and the receiver) can still
 * publish. See docs/replication.md.
 */
class SeqPoisoningTest {
    @TempDir
    Path tmp;
    HubAndAgents c;

    @AfterEach
    void tearDown() {
        if (c != null) {
            c.close();
        }
    }

    private Map<SyncEngine, Map<NodeId, Long>> knowledge() {
        Map<SyncEngine, Map<NodeId, Long>> k = new HashMap<>();
        for (SyncEngine e : c.all()) {
            k.put(e, Map.copyOf(c.handle(e).knowledge().highest()));
        }
        return k;
    }

    private void awaitEverywhere(NodeId author, long seq) {
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> c.all().stream()
                .allMatch(e -> c.handle(e).knowledge().get(author) == seq));
    }

    @Test
    void anInflatedUpToSeqRaisesNoKnowledgeAndTheVictimAuthorStillSyncs() throws Exception {
        c = new HubAndAgents(tmp, 2);
        SyncEngine a = c.agents.get(0);
        SyncEngine b = c.agents.get(1);
        Files.writeString(c.folders.get(0).resolve("a1.txt"), "first edit of A");
        c.handle(a).scan().get(60, TimeUnit.SECONDS);
        awaitEverywhere(a.nodeId(), 1);
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> Files.exists(c.folders.get(1).resolve("a1.txt")));

        try (RogueMember rogue = RogueMember.join(c.ticket())) {
            Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> c.all().stream()
                    .allMatch(e -> c.handle(e).members().isMember(rogue.id())));
            Map<SyncEngine, Map<NodeId, Long>> before = knowledge();

            // To each engine in turn: the empty batch about A and about the engine itself, then
            // an entry of the rogue's own on the same link, seq n: once the engine knows the rogue
            // up to n it has handled the attack (a link's batches are handled in order).
            long fence = 0;
            for (SyncEngine victim : c.all()) {
                RogueConnection link = rogue.link(HubAndAgents.address(victim));
                for (NodeId about : List.of(a.nodeId(), victim.nodeId())) {
                    long known = before.get(victim).getOrDefault(about, 0L);
                    link.send(rogue.batch(about, known, Long.MAX_VALUE, List.of()));
                }
                fence++;
                link.send(rogue.batch(rogue.id(), fence - 1, fence, List.of(rogue.file(fence, "rogue-" + fence))));
                long seq = fence;
                Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> c.handle(victim).knowledge()
                        .get(rogue.id()) >= seq);
                awaitEverywhere(rogue.id(), fence);
            }

            // The victim author edits again: it can publish, and the edit reaches the other agent and the hub.
            Files.writeString(c.folders.get(0).resolve("a2.txt"), "second edit of A");
            c.handle(a).scan().get(60, TimeUnit.SECONDS);
            assertThat(c.handle(a).knowledge().get(a.nodeId())).as("A's own seq after its next edit").isEqualTo(2);
            awaitEverywhere(a.nodeId(), 2);
            Awaitility.await().atMost(HubAndAgents.WAIT).until(() ->
                    Files.exists(c.folders.get(1).resolve("a2.txt")) && c.hubHoldsEveryBlob());
            assertThat(Files.readString(c.folders.get(1).resolve("a2.txt"))).isEqualTo("second edit of A");

            // The receiver the batch was about can publish too, and A gets it.
            Files.writeString(c.folders.get(1).resolve("b1.txt"), "B after the attack");
            c.handle(b).scan().get(60, TimeUnit.SECONDS);
            awaitEverywhere(b.nodeId(), 1);
            Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> Files.exists(c.folders.get(0).resolve("b1.txt")));

            // Knowledge vectors: only what the honest edits and the rogue's own entries made.
            for (SyncEngine e : c.all()) {
                Map<NodeId, Long> expected = new HashMap<>(before.get(e));
                expected.put(a.nodeId(), 2L);
                expected.put(b.nodeId(), 1L);
                expected.put(rogue.id(), fence);
                assertThat(c.handle(e).knowledge().highest()).as("knowledge of %s", e.nodeId().shortId(7))
                        .isEqualTo(expected);
            }
        }
    }
}
