package org.savesync.server.testing;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.ArrayList;
import java.util.List;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunkstore.ChunkStore;

/** Empties the hub's state between tests that share one Quarkus app and one database. */
public final class HubTestData {
    private static final String TABLES = "nodes, groups, members, member_list_versions, entries, knowledge,"
            + " chunk_lists, local_records, chunks, retention_policy, audit_event";

    private HubTestData() {
    }

    /** Deletes every row of every hub table (the Flyway history stays). */
    public static void truncateTables() {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                .createNativeQuery("TRUNCATE " + TABLES).executeUpdate());
    }

    /** Deletes every chunk through the store (so its counters stay right), then every row. */
    public static void clear(ChunkStore chunks) throws Exception {
        List<ChunkHash> all = new ArrayList<>();
        chunks.forEach(all::add);
        for (ChunkHash h : all) {
            chunks.delete(h);
        }
        truncateTables();
    }
}
