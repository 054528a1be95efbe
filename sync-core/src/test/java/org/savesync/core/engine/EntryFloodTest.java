package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.identity.NodeKey;
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
 * Entry floods (issue 9, section 1, back-pressure): a member floods an agent with full entry
 * batches over real QUIC, signed by a non-member and then by itself, with huge seqs. Entries of
 * a non-member cost no signature check at all; the member's own flood is held to the link's
 * {@link InboundBudget} (the rest is dropped and counted); and an honest member's edit made
 * during the flood reaches the victim and the hub.
 */
class EntryFloodTest {
    private static final int FLOOD_BATCHES = 400;

    @TempDir
    Path tmp;
    HubAndAgents c;

    @AfterEach
    void tearDown() {
        if (c != null) {
            c.close();
        }
    }

    private static List<SignedRecord> entries(RogueMember rogue, NodeKey signer, long firstSeq, String prefix) {
        List<SignedRecord> l = new ArrayList<>();
        for (int i = 0; i < Protocol.MAX_ENTRIES_PER_BATCH; i++) {
            long seq = firstSeq + i;
            Entry e = Entry.file(rogue.group, signer.nodeId(), seq, SafePath.of(prefix + "/" + seq + "-"
                    + "x".repeat(200)), BlobId.EMPTY, 0, 0, false, Hlc.of(System.currentTimeMillis(), 0),
                    VersionVector.EMPTY.increment(signer.nodeId()));
            l.add(RogueMember.record(SignedEntry.sign(e, signer)));
        }
        return l;
    }

    @Test
    void floodsOfEntriesAreBoundedAndHonestSyncGoesOn() throws Exception {
        c = new HubAndAgents(tmp, 2);
        SyncEngine a = c.agents.get(0);
        SyncEngine victim = c.agents.get(1);
        try (RogueMember rogue = RogueMember.join(c.ticket())) {
            Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> c.handle(victim).members().isMember(rogue.id()));
            RogueConnection link = rogue.link(HubAndAgents.address(victim));

            // 1. Entries of a stranger (not on the member list): refused before any signature is checked.
            NodeKey stranger = NodeKey.generate();
            Message.EntryBatch strangers = rogue.batch(stranger.nodeId(), 0, Long.MAX_VALUE,
                    entries(rogue, stranger, 1, "stranger"));
            long verifiedBefore = victim.stats().entriesVerified.sum();
            long refusedBefore = victim.stats().refusals(Refusal.NOT_A_MEMBER) + victim.stats().refusals(Refusal.QUEUE_FULL);
            for (int i = 0; i < FLOOD_BATCHES; i++) {
                link.send(strangers);
            }
            Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> victim.stats().refusals(Refusal.NOT_A_MEMBER)
                    + victim.stats().refusals(Refusal.QUEUE_FULL) - refusedBefore == FLOOD_BATCHES);
            assertThat(victim.stats().entriesVerified.sum() - verifiedBefore)
                    .as("signatures checked for a non-member's entries").isZero();
            assertThat(c.handle(victim).knowledge().get(stranger.nodeId())).isZero();

            // 2. The rogue's own entries, seqs up to 2^63-1, as fast as it can, while A edits.
            AtomicBoolean flooding = new AtomicBoolean(true);
            List<Message.EntryBatch> own = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                long first = Long.MAX_VALUE - (8L - b) * Protocol.MAX_ENTRIES_PER_BATCH;
                own.add(rogue.batch(rogue.id(), 0, Long.MAX_VALUE, entries(rogue, rogue.key(), first, "flood")));
            }
            Thread flood = Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; flooding.get() && link.isOpen() && i < FLOOD_BATCHES; i++) {
                    link.send(own.get(i % own.size()));
                }
            });
            long dropsBefore = victim.stats().refusals(Refusal.QUEUE_FULL);
            Files.writeString(c.folders.get(0).resolve("during-the-flood.txt"), "honest edit");
            c.handle(a).scan().get(60, TimeUnit.SECONDS);
            try {
                Awaitility.await().atMost(HubAndAgents.WAIT).until(() ->
                        Files.exists(c.folders.get(1).resolve("during-the-flood.txt"))
                                && c.handle(c.hub).knowledge().get(a.nodeId()) == 1 && c.hubHoldsEveryBlob());
            } finally {
                flooding.set(false);
                flood.join(60_000);
            }
            assertThat(victim.stats().refusals(Refusal.QUEUE_FULL) - dropsBefore)
                    .as("batches dropped past the link's budget").isPositive();
            assertThat(victim.stats().batchesVerifyingPeak.get()).as("batches of one link waiting for verification")
                    .isLessThanOrEqualTo(InboundBudget.MAX_BATCHES_VERIFYING);
            assertThat(victim.stats().inboundBytesPeak.get()).as("bytes one link's messages held")
                    .isLessThanOrEqualTo(InboundBudget.MAX_BYTES);
            assertThat(victim.stats().inboundMessagesPeak.get()).as("messages of one link waiting")
                    .isLessThanOrEqualTo(InboundBudget.MAX_MESSAGES);
        }
        // The victim still syncs both ways after the flood.
        Files.writeString(c.folders.get(1).resolve("after.txt"), "victim edit");
        c.handle(victim).scan().get(60, TimeUnit.SECONDS);
        Awaitility.await().atMost(HubAndAgents.WAIT).until(() -> Files.exists(c.folders.get(0).resolve("after.txt")));
    }
}
