package org.savesync.agent.persistence;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;

/** The agent's index database for the store tests, opened as the app opens it. */
final class H2TestDatabase {
    private H2TestDatabase() {
    }

    /** An H2 datasource on the index database in {@code dataDir}, with the app's URL (one connection per call). */
    static JdbcDataSource dataSource(Path dataDir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(H2Stores.jdbcUrl(dataDir));
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    /**
     * A migrated database behind H2's own small pool, standing for the app's Agroal pool: its idle
     * connection keeps the database open between calls; {@code dispose()} closes the database.
     */
    static JdbcConnectionPool openDatabase(Path dataDir) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(dataSource(dataDir));
        H2Stores.migrate(pool);
        return pool;
    }
}
