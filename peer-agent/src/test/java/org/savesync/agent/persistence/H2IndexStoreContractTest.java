package org.savesync.agent.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.IndexStoreContractTest;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.index.TestRecords;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * The contract against {@link H2IndexStore}; reopening closes the database and opens the same
 * file through a new datasource and a new {@link H2Stores} with the data dir's {@link EntrySeal}
 * (so every reopen in the contract loads sealed rows), and what becomes of rows changed behind
 * the agent's back.
 */
class H2IndexStoreContractTest extends IndexStoreContractTest {
    /** The last byte of an entry's seq in its signed bytes: after the tag (18 bytes), group id and author. */
    private static final int SEQ_LAST_BYTE = 18 + 16 + 32 + 7;
    private JdbcConnectionPool pool;
    private H2Stores stores;

    @Override
    protected StoreProvider provider() {
        if (stores == null) {
            pool = H2TestDatabase.openDatabase(dataDir);
            stores = new H2Stores(pool, EntrySeal.loadOrCreate(dataDir)); // as the agent: reopened rows are sealed
        }
        return stores;
    }

    @Override
    protected StoreProvider reopen() {
        close();
        return provider();
    }

    @Override
    protected String name() {
        return "H2";
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close(); // writes the queued local records, as the agent does when it stops
        }
        if (pool != null) {
            pool.dispose(); // closes the last connection, and so the database file
            pool = null;
        }
        stores = null;
    }

    @Test
    void aStoreHandedOutBeforeItsGroupWasRemovedRefusesWritesAndResurrectsNothing() throws Exception {
        IndexStore old = store();
        old.putLocal(TestRecords.localFile("a", ALICE.nodeId(), 1));
        provider().remove(group);

        assertThatThrownBy(() -> old.putLocal(TestRecords.localFile("b", ALICE.nodeId(), 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was removed");
        assertThatThrownBy(() -> old.store(List.of(TestRecords.file(ALICE, group, 1, "a")), Map.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(reopen().open(group).locals()).isEmpty();
    }

    @Test
    void aDamagedEntryRowFailsTheLoadSayingWhatToDo() throws Exception {
        store().store(List.of(TestRecords.file(ALICE, group, 1, "a")), Map.of());
        try (var c = pool.getConnection(); var ps = c.prepareStatement("UPDATE idx_entry SET signature = ?")) {
            ps.setBytes(1, new byte[64]);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        StoreProvider reopened = reopen();

        assertThatThrownBy(() -> reopened.open(group))
                .isInstanceOfSatisfying(IndexStorageException.class, e -> assertThat(e.group()).isEqualTo(group))
                .hasMessageContaining("does not decode")
                .hasMessageContaining("leave and rejoin the group");
    }

    @Test
    void anEntryRowChangedUnderItsSealIsVerifiedInFullAndRefused() throws Exception {
        SignedEntry stored = TestRecords.file(ALICE, group, 1, "a");
        store().store(List.of(stored), Map.of());
        // another seq in the signed bytes, signature and seal left as the agent wrote them
        byte[] changed = stored.signedBytes();
        changed[SEQ_LAST_BYTE] ^= 2;
        assertThat(SignedEntry.peekSeq(changed)).hasValue(3); // seq 1 -> 3: still a valid entry
        try (var c = pool.getConnection(); var ps = c.prepareStatement("UPDATE idx_entry SET signed_bytes = ?")) {
            ps.setBytes(1, changed);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        StoreProvider reopened = reopen();

        assertThatThrownBy(() -> reopened.open(group))
                .isInstanceOfSatisfying(IndexStorageException.class, e -> assertThat(e.group()).isEqualTo(group))
                .hasMessageContaining("does not decode");
    }

    @Test
    void aRowWithAForgedSealIsVerifiedInFullAndKeptWhenItsSignatureHolds() throws Exception {
        SignedEntry stored = TestRecords.file(ALICE, group, 1, "a");
        store().store(List.of(stored), Map.of());
        setSeal(new byte[EntrySeal.LENGTH]); // not the key's: the row is checked as if unsealed

        assertThat(reopen().open(group).entry(ALICE.nodeId(), SafePath.of("a")))
                .hasValueSatisfying(e -> assertThat(e.signedBytes()).isEqualTo(stored.signedBytes()));
    }

    @Test
    void aRowWithoutASealIsVerifiedInFullAndRefusedWhenItsSignatureFails() throws Exception {
        store().store(List.of(TestRecords.file(ALICE, group, 1, "a")), Map.of());
        try (var c = pool.getConnection();
             var ps = c.prepareStatement("UPDATE idx_entry SET seal = NULL, signature = ?")) {
            ps.setBytes(1, new byte[SignedEntry.SIGNATURE_LENGTH]);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        StoreProvider reopened = reopen();

        assertThatThrownBy(() -> reopened.open(group)).isInstanceOf(IndexStorageException.class);
    }

    @Test
    void aRowSealedUnderTheDataDirsKeyIsNotVerifiedAgain() throws Exception {
        // Only the key's holder can do this: reseal a row after changing its signature. That it then
        // loads shows the seal, and nothing else, is what spares the signature check.
        SignedEntry stored = TestRecords.file(ALICE, group, 1, "a");
        store().store(List.of(stored), Map.of());
        byte[] wrongSignature = new byte[SignedEntry.SIGNATURE_LENGTH];
        try (var c = pool.getConnection();
             var ps = c.prepareStatement("UPDATE idx_entry SET signature = ?, seal = ?")) {
            ps.setBytes(1, wrongSignature);
            ps.setBytes(2, EntrySeal.loadOrCreate(dataDir).seal(group, stored.signedBytes(), wrongSignature));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        assertThat(reopen().open(group).entry(ALICE.nodeId(), SafePath.of("a"))).isPresent();
    }

    @Test
    void theSealKeyIsOwnerOnlyAndOneOthersCanReadIsRefused() throws Exception {
        Path key = dataDir.resolve(EntrySeal.KEY_FILE);
        EntrySeal.loadOrCreate(dataDir);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> EntrySeal.loadOrCreate(dataDir)).hasMessageContaining("chmod 600");
    }

    private void setSeal(byte[] seal) throws Exception {
        try (var c = pool.getConnection(); var ps = c.prepareStatement("UPDATE idx_entry SET seal = ?")) {
            ps.setBytes(1, seal);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }


    @Test
    void migratingAnUpToDateDatabaseChangesNothing() throws Exception {
        store().putLocal(TestRecords.localDirectory("d"));
        H2Stores.migrate(H2TestDatabase.dataSource(dataDir));
        assertThat(reopen().open(group).local(SafePath.of("d"))).isPresent();
    }
}
