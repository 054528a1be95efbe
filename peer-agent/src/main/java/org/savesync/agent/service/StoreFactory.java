package org.savesync.agent.service;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.savesync.agent.persistence.EntrySeal;
import org.savesync.agent.persistence.H2Stores;
import org.savesync.core.failure.Failure;
import org.savesync.core.index.StoreProvider;

/**
 * Opens the agent's index: the embedded H2 database {@code index.mv.db} in the data dir, with
 * the URL settings that make a commit survive {@code kill -9} ({@link H2Stores#jdbcUrl}),
 * migrated with Flyway, in a small pool that keeps one connection open.
 */
@ApplicationScoped
public class StoreFactory {
    private AgroalDataSource dataSource;
    private H2Stores stores;

    public synchronized StoreProvider open(Path dataDir) {
        try {
            dataSource = AgroalDataSource.from(new AgroalPropertiesReader().readProperties(Map.of(
                    AgroalPropertiesReader.JDBC_URL, H2Stores.jdbcUrl(dataDir),
                    AgroalPropertiesReader.MIN_SIZE, "1",
                    AgroalPropertiesReader.INITIAL_SIZE, "1",
                    AgroalPropertiesReader.MAX_SIZE, "4")));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the index database in " + dataDir + ": " + Failure.describe(e)
                    + " (is another agent using this data dir?)", e);
        }
        H2Stores.migrate(dataSource);
        stores = new H2Stores(dataSource, EntrySeal.loadOrCreate(dataDir)).startFlusher();
        return stores;
    }

    /** Writes what is queued and closes the database. */
    public synchronized void close() {
        if (stores != null) {
            stores.close();
            stores = null;
        }
        if (dataSource != null) {
            dataSource.close();
            dataSource = null;
        }
    }
}
