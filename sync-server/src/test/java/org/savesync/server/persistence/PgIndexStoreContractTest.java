package org.savesync.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.savesync.core.index.TestRecords.file;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.IndexStoreContractTest;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.index.TestRecords;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.testsupport.Workloads;
import org.savesync.server.testing.ExpectedLog;
import org.savesync.server.testing.HubTestData;

/**
 * The {@link IndexStoreContractTest} against {@link PgIndexStore}, plus what only the hub's
 * store does (superseded entries kept, completeness, member list history). Runs inside a
 * Quarkus app; a subclass per database server says which (annotations only). Reopening makes
 * a new {@link PgStores}, which loads every group again from the database.
 */
public abstract class PgIndexStoreContractTest extends IndexStoreContractTest {
    @jakarta.inject.Inject
    GroupCommit commit;
    private PgStores stores;
    private java.nio.file.Path ownDataDir;

    @BeforeEach
    void emptyDatabase() throws Exception {
        HubTestData.truncateTables();
        if (dataDir == null) { // JUnit's @TempDir is not injected into a @QuarkusTest instance
            dataDir = Files.createTempDirectory("savesync-contract");
            ownDataDir = dataDir;
        }
    }

    @AfterEach
    void deleteDataDir() {
        if (ownDataDir != null) {
            Workloads.deleteTree(ownDataDir);
        }
    }

    @Override
    protected PgStores provider() {
        if (stores == null) {
            stores = new PgStores(commit);
        }
        return stores;
    }

    @Override
    protected PgStores reopen() {
        stores = new PgStores(commit);
        return stores;
    }

    @Override
    protected String name() {
        return "PostgreSQL";
    }

    private PgIndexStore replica() {
        return provider().open(group);
    }

    private static long count(String jpql, GroupId group) {
        return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager().createQuery(jpql, Long.class)
                .setParameter("g", group.bytes()).getSingleResult());
    }

    @Test
    void aGroupWithoutAFolderIsSavedAsTheHubHoldsIt() throws Exception {
        GroupInfo withFolder = TestRecords.info(group, ALICE, dataDir);
        GroupInfo hubs = new GroupInfo(group, withFolder.name(), null, withFolder.authority(), withFolder.memberList(),
                withFolder.secret(), withFolder.peerAddresses(), null);
        replica().saveInfo(hubs);

        assertThat(reopen().open(group).info()).hasValueSatisfying(i -> assertThat(i.folder()).isNull());
        assertSurvivesReopen(List.of());
    }

    @Test
    void replacedEntriesStayInTheTableAsSupersededButAreNeverRead() throws Exception {
        PgIndexStore s = replica();
        SignedEntry v1 = file(ALICE, group, 1, "a.txt");
        SignedEntry v2 = file(ALICE, group, 2, "a.txt");
        SignedEntry v3 = file(ALICE, group, 3, "a.txt");
        s.store(List.of(v1), Map.of());
        s.store(List.of(v2), Map.of());
        s.store(List.of(v3, file(BOB, group, 1, "a.txt")), Map.of());

        assertThat(count("select count(e) from EntryEntity e where e.groupId = :g", group)).isEqualTo(4);
        assertThat(count("select count(e) from EntryEntity e where e.groupId = :g and e.superseded = true", group))
                .isEqualTo(2);
        PgIndexStore reopened = reopen().open(group);
        assertThat(reopened.entriesAfter(ALICE.nodeId(), 0, 10)).containsExactly(v3);
        assertThat(reopened.entryBySeq(ALICE.nodeId(), 1)).isEmpty();
        assertThat(reopen().totalEntries()).isEqualTo(2);
    }

    @Test
    void completenessSurvivesAReopenAndIncompleteBlobsAreThoseOfCurrentFilesOnly() throws Exception {
        PgIndexStore s = replica();
        SignedEntry old = file(ALICE, group, 1, "f");
        SignedEntry current = file(ALICE, group, 2, "f");
        SignedEntry other = file(BOB, group, 3, "g");
        SignedEntry deleted = TestRecords.deleted(BOB, group, 4, "h");
        s.store(List.of(old, current, other, deleted), Map.of());
        List<ChunkRef> chunks = TestRecords.chunks(2, 9);
        for (SignedEntry e : List.of(old, current, other)) {
            s.putChunkList(e.entry().blob(), chunks);
        }
        assertThat(s.incompleteBlobs(10)).containsExactlyInAnyOrder(current.entry().blob(), other.entry().blob());
        assertThat(s.incompleteBlobs(1)).hasSize(1);

        s.markComplete(other.entry().blob());
        s.markComplete(other.entry().blob());

        PgIndexStore reopened = reopen().open(group);
        assertThat(reopened.isComplete(other.entry().blob())).isTrue();
        assertThat(reopened.isComplete(current.entry().blob())).isFalse();
        assertThat(reopened.isComplete(BlobId.EMPTY)).isTrue();
        assertThat(reopened.incompleteBlobs(10)).containsExactly(current.entry().blob());
        BlobId unlisted = TestRecords.blob("never listed");
        assertThatThrownBy(() -> reopened.markComplete(unlisted))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("putChunkList");
    }

    @Test
    void everyMemberListVersionIsKeptAndMembersFollowTheCurrentOne() throws Exception {
        PgIndexStore s = replica();
        NodeKey hub = NodeKey.generate();
        GroupInfo created = TestRecords.info(group, ALICE, null);
        s.saveInfo(created);
        s.saveInfo(created.withPeerAddresses(BOB.nodeId(), List.of("192.0.2.9:1")));
        assertThat(count("select count(m) from MemberEntity m where m.groupId = :g", group)).isEqualTo(1);

        s.saveInfo(TestRecords.handedOver(created, ALICE, hub));
        reopen().open(group).saveInfo(TestRecords.handedOver(created, ALICE, hub));

        assertThat(count("select count(v) from MemberListVersionEntity v where v.groupId = :g", group)).isEqualTo(2);
        assertThat(count("select count(m) from MemberEntity m where m.groupId = :g", group)).isEqualTo(2);
        assertThat(count("select count(m) from MemberEntity m where m.groupId = :g and m.role = 'HUB'", group))
                .isEqualTo(1);
        assertThat(count("select max(g.memberListVersion) from GroupEntity g where g.groupId = :g", group)).isEqualTo(2);
    }

    @Test
    void aStoreThatFailsInTheDatabaseChangesNothing() throws Exception {
        PgIndexStore s = replica();
        s.store(List.of(file(ALICE, group, 5, "x")), Map.of(ALICE.nodeId(), 5L));
        // A second, different entry under seq 5 (the engine refuses these before storing): the
        // database's key refuses it, and the whole batch with it.
        List<SignedEntry> batch = List.of(file(ALICE, group, 6, "y"), file(ALICE, group, 5, "z"));
        // Hibernate and the transaction manager log the refused insert (with the batch's SQL); here it is
        // the point of the test, so it is asserted and kept out of the run's output.
        ExpectedLog log = ExpectedLog.of("org.hibernate.orm.jdbc", "com.arjuna.ats.arjuna");

        Throwable thrown = log.during(() -> catchThrowable(() -> s.store(batch, Map.of(ALICE.nodeId(), 6L))));
        assertThat(thrown).isInstanceOf(HubStorageException.class).hasMessageContaining("seq");
        assertThat(log.text(Level.WARNING)).contains("duplicate key value violates unique constraint \"entries_pkey\"")
                .contains("ARJUNA012125").contains("beforeCompletion - failed");
        assertThat(s.entry(ALICE.nodeId(), SafePath.of("y"))).isEmpty();
        assertThat(s.knowledge().get(ALICE.nodeId())).isEqualTo(5);
        PgIndexStore reopened = reopen().open(group);
        assertThat(reopened.entry(ALICE.nodeId(), SafePath.of("y"))).isEmpty();
        assertThat(reopened.knowledge().get(ALICE.nodeId())).isEqualTo(5);
    }

    @Test
    void aStoreHandedOutBeforeItsGroupWasRemovedRefusesWritesAndResurrectsNothing() throws Exception {
        PgIndexStore old = replica();
        old.store(List.of(file(ALICE, group, 1, "a")), Map.of(ALICE.nodeId(), 1L));
        provider().remove(group);

        assertThatThrownBy(() -> old.store(List.of(file(ALICE, group, 2, "b")), Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was removed");
        assertThatThrownBy(() -> old.markComplete(TestRecords.blob("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(provider().open(group).paths()).isEmpty();
        assertThat(count("select count(e) from EntryEntity e where e.groupId = :g", group)).isZero();
    }

    @Test
    void aDamagedEntryRowFailsTheLoadSayingWhatToDo() throws Exception {
        replica().store(List.of(file(ALICE, group, 1, "a")), Map.of());
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                .createNativeQuery("UPDATE entries SET signature = ?1").setParameter(1, new byte[64]).executeUpdate());
        StoreProvider reopened = reopen();

        assertThatThrownBy(() -> reopened.open(group))
                .isInstanceOfSatisfying(HubStorageException.class, e -> assertThat(e.group()).isEqualTo(group))
                .hasMessageContaining("does not decode")
                .hasMessageContaining("restore it from a backup");
    }

    /** Throughput of the hub's write path; printed, not asserted (speed belongs in bench/). */
    @Test
    void tenThousandEntriesInBatchesOfAThousandAndAReopen() throws Exception {
        PgIndexStore s = replica();
        List<List<SignedEntry>> batches = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<SignedEntry> batch = new ArrayList<>();
            for (int i = 1; i <= 1000; i++) {
                int seq = b * 1000 + i;
                batch.add(file(ALICE, group, seq, "dir" + (seq % 100) + "/file-" + seq + ".txt"));
            }
            batches.add(batch);
        }
        long t0 = System.nanoTime();
        for (List<SignedEntry> batch : batches) {
            s.store(batch, Map.of(ALICE.nodeId(), batch.get(batch.size() - 1).entry().seq()));
        }
        long t1 = System.nanoTime();
        // The same paths again: every entry supersedes one.
        List<SignedEntry> newer = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            newer.add(file(ALICE, group, 10_000 + i, "dir" + (i % 100) + "/file-" + i + ".txt"));
        }
        long t2 = System.nanoTime();
        s.store(newer, Map.of(ALICE.nodeId(), 11_000L));
        long t3 = System.nanoTime();
        PgIndexStore reopened = reopen().open(group);
        long t4 = System.nanoTime();
        int rows = QuarkusTransaction.requiringNew().call(() -> new GroupRows(group).read().entries().size());
        long t5 = System.nanoTime();

        System.out.printf("[%s] store() of 10,000 entries in batches of 1,000: %d ms (%d ms per batch);"
                        + " 1,000 entries superseding 1,000: %d ms; reopen and load 10,000 entries: %d ms"
                        + " (reading the %d rows alone: %d ms; the rest is parsing and verifying signatures)%n", name(),
                (t1 - t0) / 1_000_000, (t1 - t0) / 10_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, rows,
                (t5 - t4) / 1_000_000);
        assertThat(reopened.entriesAfter(ALICE.nodeId(), 0, Integer.MAX_VALUE)).hasSize(10_000);
        assertThat(reopened.knowledge().get(ALICE.nodeId())).isEqualTo(11_000);
        assertThat(count("select count(e) from EntryEntity e where e.groupId = :g and e.superseded = true", group))
                .isEqualTo(1000);
    }
}
