package org.savesync.agent.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * The contract against {@link H2IndexStore}; reopening closes the database and opens the same
 * file through a new datasource and a new {@link H2Stores}.
 */
class H2IndexStoreContractTest extends IndexStoreContractTest {
    private JdbcConnectionPool pool;
    private H2Stores stores;

    @Override
    protected StoreProvider provider() {
        if (stores == null) {
            pool = H2TestDatabase.openDatabase(dataDir);
            stores = new H2Stores(pool);
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
    void migratingAnUpToDateDatabaseChangesNothing() throws Exception {
        store().putLocal(TestRecords.localDirectory("d"));
        H2Stores.migrate(H2TestDatabase.dataSource(dataDir));
        assertThat(reopen().open(group).local(SafePath.of("d"))).isPresent();
    }
}
