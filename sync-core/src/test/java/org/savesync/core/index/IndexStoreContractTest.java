package org.savesync.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.savesync.core.index.TestRecords.deleted;
import static org.savesync.core.index.TestRecords.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.TestRecords.Snapshot;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * The behaviour every {@link IndexStore} and {@link StoreProvider} must show, run against
 * each implementation by a subclass. Each test ends by reopening the provider and checking
 * that the reopened store shows exactly what the original one did.
 *
 * <p>Published in sync-core's test-jar: the agent's H2 store, the in-memory reference store and
 * the hub's PostgreSQL store each extend it. Each test works on a fresh {@link #group}; a
 * subclass whose database outlives one test must give every test an empty database (the
 * tests list all groups).
 */
public abstract class IndexStoreContractTest {
    protected static final NodeKey ALICE = NodeKey.generate();
    protected static final NodeKey BOB = NodeKey.generate();

    @TempDir
    protected Path dataDir;

    protected final GroupId group = GroupId.random();

    /** The provider under test (the same instance on every call until {@link #reopen}). */
    protected abstract StoreProvider provider() throws Exception;

    /** A provider on the same persistent state, as after a restart of the node. */
    protected abstract StoreProvider reopen() throws Exception;

    /** A short name for printed figures. */
    protected abstract String name();

    protected IndexStore store() throws Exception {
        return provider().open(group);
    }

    /** Reopens and checks the group's store shows exactly what it showed before. */
    protected void assertSurvivesReopen(List<BlobId> blobs) throws Exception {
        Snapshot before = Snapshot.of(store(), blobs);
        Snapshot after = Snapshot.of(reopen().open(group), blobs);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aNewerEntryReplacesTheOlderOneOfTheSameAuthorAndPath() throws Exception {
        IndexStore s = store();
        SignedEntry v1 = file(ALICE, group, 1, "docs/a.txt");
        SignedEntry v3 = file(ALICE, group, 3, "docs/a.txt");
        SignedEntry other = file(ALICE, group, 2, "docs/b.txt");
        s.store(List.of(v1, other), Map.of(ALICE.nodeId(), 2L));
        s.store(List.of(v3), Map.of(ALICE.nodeId(), 3L));

        assertThat(s.entry(ALICE.nodeId(), SafePath.of("docs/a.txt"))).contains(v3);
        assertThat(s.entryBySeq(ALICE.nodeId(), 1)).isEmpty();
        assertThat(s.entryBySeq(ALICE.nodeId(), 3)).contains(v3);
        assertThat(s.entriesAfter(ALICE.nodeId(), 0, 10)).containsExactly(other, v3);
        assertSurvivesReopen(List.of());
    }

    @Test
    void anEntryWithALowerOrEqualSeqIsIgnored() throws Exception {
        IndexStore s = store();
        SignedEntry v5 = file(ALICE, group, 5, "a");
        s.store(List.of(v5), Map.of());
        s.store(List.of(file(ALICE, group, 4, "a"), deleted(ALICE, group, 5, "a")), Map.of());

        assertThat(s.entry(ALICE.nodeId(), SafePath.of("a"))).hasValueSatisfying(e -> assertThat(e.sameContentAs(v5)).isTrue());
        assertThat(s.entryBySeq(ALICE.nodeId(), 4)).isEmpty();
        assertThat(s.entriesAfter(ALICE.nodeId(), 0, 10)).containsExactly(v5);
        assertSurvivesReopen(List.of());
    }

    @Test
    void withinOneBatchTheHighestSeqOfAPathWinsWhateverTheOrder() throws Exception {
        IndexStore s = store();
        SignedEntry v7 = file(ALICE, group, 7, "x");
        SignedEntry bobs = file(BOB, group, 1, "x");
        s.store(List.of(file(ALICE, group, 6, "x"), v7, bobs, file(ALICE, group, 2, "x")), Map.of());

        assertThat(s.entriesForPath(SafePath.of("x"))).containsExactlyInAnyOrder(v7, bobs);
        assertThat(s.entriesAfter(ALICE.nodeId(), 0, 10)).containsExactly(v7);
        assertSurvivesReopen(List.of());
    }

    @Test
    void knowledgeIsOnlyEverRaised() throws Exception {
        IndexStore s = store();
        assertThat(s.knowledge()).isEqualTo(KnowledgeVector.EMPTY);
        s.store(List.of(), Map.of(ALICE.nodeId(), 5L));
        s.store(List.of(), Map.of(ALICE.nodeId(), 3L, BOB.nodeId(), 2L));
        s.store(List.of(file(BOB, group, 9, "late")), Map.of(BOB.nodeId(), 0L));

        assertThat(s.knowledge().get(ALICE.nodeId())).isEqualTo(5);
        assertThat(s.knowledge().get(BOB.nodeId())).isEqualTo(2);
        assertSurvivesReopen(List.of());
    }

    @Test
    void entriesAfterAreAscendingBySeqAndLimited() throws Exception {
        IndexStore s = store();
        List<SignedEntry> alices = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            alices.add(file(ALICE, group, seq, "dir/f" + seq));
        }
        List<SignedEntry> shuffled = new ArrayList<>(alices);
        Collections.shuffle(shuffled, new Random(7));
        s.store(shuffled, Map.of());
        s.store(List.of(file(BOB, group, 4, "dir/bob")), Map.of());

        assertThat(s.entriesAfter(ALICE.nodeId(), 3, 4)).containsExactlyElementsOf(alices.subList(3, 7));
        assertThat(s.entriesAfter(ALICE.nodeId(), 8, 100)).containsExactlyElementsOf(alices.subList(8, 10));
        assertThat(s.entriesAfter(ALICE.nodeId(), 10, 100)).isEmpty();
        assertThat(s.entriesAfter(NodeKey.generate().nodeId(), 0, 100)).isEmpty();
        assertSurvivesReopen(List.of());
    }

    @Test
    void entriesForPathHoldsEachAuthorsNewestAndPathsListsEveryPath() throws Exception {
        IndexStore s = store();
        SignedEntry alices = file(ALICE, group, 2, "shared.txt");
        SignedEntry bobs = deleted(BOB, group, 3, "shared.txt");
        s.store(List.of(file(ALICE, group, 1, "shared.txt"), alices, bobs, file(BOB, group, 4, "only-bob")), Map.of());

        assertThat(s.entriesForPath(SafePath.of("shared.txt"))).containsExactlyInAnyOrder(alices, bobs);
        assertThat(s.entriesForPath(SafePath.of("nowhere"))).isEmpty();
        assertThat(s.paths()).containsExactlyInAnyOrder(SafePath.of("shared.txt"), SafePath.of("only-bob"));
        assertSurvivesReopen(List.of());
    }

    @Test
    void localRecordsArePutReplacedAndRemoved() throws Exception {
        IndexStore s = store();
        NodeId self = ALICE.nodeId();
        LocalRecord a1 = TestRecords.localFile("a.txt", self, 1);
        LocalRecord a2 = TestRecords.localFile("a.txt", self, 2);
        LocalRecord link = TestRecords.localSymlink("link", "../../elsewhere ✓", self);
        LocalRecord copy = TestRecords.localConflictCopy("a (conflict).txt", "a.txt", BOB.nodeId(), 12);
        LocalRecord dir = TestRecords.localDirectory("dir");
        for (LocalRecord r : List.of(a1, a2, link, copy, dir, TestRecords.localDirectory("gone"))) {
            s.putLocal(r);
        }
        s.removeLocal(SafePath.of("gone"));
        s.removeLocal(SafePath.of("never-there"));

        assertThat(s.local(SafePath.of("a.txt"))).contains(a2);
        assertThat(s.local(SafePath.of("gone"))).isEmpty();
        assertThat(s.locals()).containsExactlyInAnyOrder(a2, link, copy, dir);
        assertSurvivesReopen(List.of());
    }

    @Test
    void chunkListsAreKeptByBlob() throws Exception {
        IndexStore s = store();
        List<ChunkRef> three = TestRecords.chunks(3, 1);
        BlobId blob = BlobId.of(three);
        s.putChunkList(blob, three);
        s.putChunkList(BlobId.EMPTY, List.of());

        assertThat(s.chunkList(blob)).contains(three);
        assertThat(s.chunkList(BlobId.EMPTY)).contains(List.of());
        BlobId unknown = BlobId.of(TestRecords.chunks(1, 2));
        assertThat(s.chunkList(unknown)).isEmpty();
        assertSurvivesReopen(List.of(blob, BlobId.EMPTY, unknown));
    }

    @Test
    void infoIsSavedAndReplacedAndMakesTheGroupListed() throws Exception {
        IndexStore s = store();
        assertThat(s.info()).isEmpty();
        assertThat(provider().groups()).doesNotContain(group);

        GroupInfo info = TestRecords.info(group, ALICE, dataDir.resolve("folder"));
        s.saveInfo(info);
        GroupInfo moved = info.withPeerAddresses(BOB.nodeId(), List.of("198.51.100.7:1"));
        s.saveInfo(moved);

        assertThat(s.info()).contains(moved);
        assertThat(provider().groups()).containsExactly(group);
        assertSurvivesReopen(List.of());
        assertThat(provider().groups()).containsExactly(group);
    }

    @Test
    void aHandoverRecordAndTheNewAuthoritysListAreKeptVerbatim() throws Exception {
        IndexStore s = store();
        NodeKey hub = NodeKey.generate();
        GroupInfo created = TestRecords.info(group, ALICE, dataDir.resolve("folder"));
        s.saveInfo(created);
        GroupInfo handedOver = TestRecords.handedOver(created, ALICE, hub);
        s.saveInfo(handedOver);

        assertThat(s.info()).contains(handedOver);
        assertThat(s.info().orElseThrow().authority()).isEqualTo(hub.nodeId());
        assertThat(s.info().orElseThrow().handover().signedBytes()).isEqualTo(handedOver.handover().signedBytes());
        assertSurvivesReopen(List.of());
    }

    @Test
    void removingAGroupForgetsAllOfItsRowsAndNoOtherGroups() throws Exception {
        GroupId other = GroupId.random();
        for (GroupId g : List.of(group, other)) {
            IndexStore s = provider().open(g);
            s.saveInfo(TestRecords.info(g, ALICE, dataDir));
            s.store(List.of(file(ALICE, g, 1, "a")), Map.of(ALICE.nodeId(), 1L));
            s.putLocal(TestRecords.localFile("a", ALICE.nodeId(), 1));
            s.putChunkList(BlobId.of(TestRecords.chunks(2, 3)), TestRecords.chunks(2, 3));
        }
        Snapshot otherBefore = Snapshot.of(provider().open(other), List.of(BlobId.of(TestRecords.chunks(2, 3))));

        provider().remove(group);

        assertOnlyOtherRemains(provider(), other, otherBefore);
        assertOnlyOtherRemains(reopen(), other, otherBefore);
    }

    private void assertOnlyOtherRemains(StoreProvider p, GroupId other, Snapshot otherBefore) {
        BlobId blob = BlobId.of(TestRecords.chunks(2, 3));
        assertThat(p.groups()).containsExactly(other);
        IndexStore gone = p.open(group);
        assertThat(gone.info()).isEmpty();
        assertThat(gone.paths()).isEmpty();
        assertThat(gone.locals()).isEmpty();
        assertThat(gone.knowledge()).isEqualTo(KnowledgeVector.EMPTY);
        assertThat(gone.chunkList(blob)).isEmpty();
        assertThat(Snapshot.of(p.open(other), List.of(blob))).isEqualTo(otherBefore);
    }

    /** The figure for a first scan of 10,000 small files; printed, not asserted (speed belongs in bench/). */
    @Test
    void tenThousandFilesAreStoredAndReloadedExactly() throws Exception {
        IndexStore s = store();
        NodeId self = ALICE.nodeId();
        List<SignedEntry> entries = new ArrayList<>();
        List<LocalRecord> locals = new ArrayList<>();
        List<List<ChunkRef>> lists = new ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            String path = "dir" + (i % 100) + "/file-" + i + ".txt";
            entries.add(file(ALICE, group, i, path));
            locals.add(TestRecords.localFile(path, self, i));
            lists.add(TestRecords.chunks(1, i));
        }
        List<BlobId> blobs = lists.stream().map(BlobId::of).toList();

        long t0 = System.nanoTime();
        for (int i = 0; i < lists.size(); i++) {
            s.putChunkList(blobs.get(i), lists.get(i));
        }
        long t1 = System.nanoTime();
        for (LocalRecord r : locals) {
            s.putLocal(r);
        }
        long t2 = System.nanoTime();
        s.store(entries, Map.of(self, 10_000L));
        long t3 = System.nanoTime();
        Snapshot before = Snapshot.of(s, blobs);
        long t4 = System.nanoTime();
        IndexStore reopened = reopen().open(group);
        long t5 = System.nanoTime();

        System.out.printf("[%s] 10,000 files: store() of 10,000 entries %d ms, 10,000 putLocal %d ms,"
                        + " 10,000 putChunkList %d ms; reopen and load %d ms%n", name(),
                (t3 - t2) / 1_000_000, (t2 - t1) / 1_000_000, (t1 - t0) / 1_000_000, (t5 - t4) / 1_000_000);
        assertThat(Snapshot.of(reopened, blobs)).isEqualTo(before);
        assertThat(reopened.entriesAfter(self, 0, Integer.MAX_VALUE)).containsExactlyElementsOf(entries);
    }
}
