package org.savesync.agent.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.savesync.core.failure.Failure;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.membership.GroupId;

/**
 * The agent's {@link StoreProvider}: every group's index in one embedded H2 database, one
 * set of tables keyed by group id (see {@link H2IndexStore}). Plain JDBC over the
 * {@link DataSource} it is given: the app passes its pooled datasource, tests an
 * {@code org.h2.jdbcx.JdbcDataSource}. Before the first {@link #open}, the schema must be
 * brought up to date with {@link #migrate}; the database must be opened with the
 * {@link #jdbcUrl URL settings} that make a committed write survive the process being killed.
 *
 * <p>A group counts as held ({@link #groups}) once its {@code GroupInfo} is saved. Each group
 * is loaded once, on its first {@link #open}, and stays in memory until {@link #remove}.
 * Only one provider may use a database at a time: two would each cache their own view.
 */
public final class H2Stores implements StoreProvider, AutoCloseable {
    /** How often queued local records and chunk lists are written (see {@link H2IndexStore}). */
    public static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofMillis(100);

    /** The database's base name inside the data directory (H2 adds {@code .mv.db}). */
    public static final String DB_NAME = "index";
    /** Where the schema migrations live on the class path. */
    public static final String MIGRATIONS = "classpath:db/migration";

    private final DataSource dataSource;
    private final EntrySeal seal;
    private final Map<GroupId, H2IndexStore> open = new HashMap<>();

    private java.util.concurrent.ScheduledExecutorService flusher;

    /** Entry rows sealed under {@code seal} (the data dir's {@link EntrySeal#loadOrCreate}). */
    public H2Stores(DataSource dataSource, EntrySeal seal) {
        this.dataSource = dataSource;
        this.seal = seal;
    }

    /** Entry rows sealed under a key kept nowhere: another instance verifies them in full. */
    public H2Stores(DataSource dataSource) {
        this(dataSource, EntrySeal.ephemeral());
    }

    /** Starts writing queued local records every {@link #FLUSH_INTERVAL}; {@link #close} stops it. */
    public synchronized H2Stores startFlusher() {
        if (flusher == null) {
            flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "savesync-index-flush");
                t.setDaemon(true);
                return t;
            });
            long ms = FLUSH_INTERVAL.toMillis();
            flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Writes every group's queued local records and chunk lists now. */
    public void flush() {
        List<H2IndexStore> stores;
        synchronized (this) {
            stores = List.copyOf(open.values());
        }
        stores.forEach(H2IndexStore::flush);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(H2Stores.class).warnf("writing the index failed (retried): %s",
                    Failure.describe(e));
        }
    }

    /** Stops the flusher and writes what is queued; the datasource stays open (its owner closes it). */
    @Override
    public void close() {
        synchronized (this) {
            if (flusher != null) {
                flusher.shutdownNow();
                flusher = null;
            }
        }
        flush();
    }

    /**
     * The JDBC URL of the index database in {@code dataDir} (file {@code index.mv.db}).
     *
     * <ul>
     *   <li>{@code WRITE_DELAY=0}: by default H2 keeps committed changes in memory and a
     *       background thread writes them to the file up to 500 ms later, so a kill -9 can
     *       lose transactions JDBC already reported committed. At 0 there is no background
     *       writer and each commit that changed something writes its changes to the file
     *       before {@code commit()} returns (H2 2.x: {@code WRITE_DELAY} is the MVStore
     *       auto-commit delay; at 0 {@code TransactionStore.endTransaction} calls
     *       {@code MVStore.commit()} in the committing thread). The write lands in the OS
     *       page cache, which outlives the process; it is not fsynced, so a power cut or a
     *       kernel crash may still lose the last commits.</li>
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook would close the database
     *       while the app's shutdown (running concurrently) may still write, turning those
     *       writes into "database closed" errors. The owner closes it instead: the database
     *       closes when its last connection does (the pool at shutdown), and a process that
     *       ends without that loses nothing committed (see above).</li>
     * </ul>
     * A pool should keep one connection open (e.g. Agroal {@code min-size=1}): closing the last
     * one closes the database and the next use reopens it, which is slow.
     *
     * @throws IllegalArgumentException when the path contains {@code ;}, which H2 reads as a setting separator
     */
    public static String jdbcUrl(Path dataDir) {
        String file = dataDir.toAbsolutePath().normalize().resolve(DB_NAME).toString();
        if (file.indexOf(';') >= 0) {
            throw new IllegalArgumentException("the data directory " + dataDir + " contains ';', which an H2 URL cannot"
                    + " hold; choose a data directory without it");
        }
        return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Creates or upgrades the index tables with Flyway ({@value #MIGRATIONS}); a no-op when they
     * are current. Fails if the migrations cannot be found rather than leaving an empty schema.
     */
    public static void migrate(DataSource dataSource) {
        Flyway.configure(H2Stores.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    @Override
    public synchronized IndexStore open(GroupId group) {
        return open.computeIfAbsent(group, g -> H2IndexStore.load(dataSource, g, seal));
    }

    @Override
    public Collection<GroupId> groups() {
        List<GroupId> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT group_id FROM idx_group ORDER BY group_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(GroupId.of(rs.getBytes(1)));
            }
        } catch (SQLException e) {
            throw new IndexStorageException(null, "list groups", Failure.describe(e), e);
        }
        return out;
    }

    /** Deletes all of the group's rows in one transaction; a store already handed out refuses further writes. */
    @Override
    public synchronized void remove(GroupId group) {
        H2IndexStore store = open.get(group);
        if (store != null) {
            store.removeAll();
            open.remove(group);
        } else {
            H2IndexStore.deleteRows(dataSource, group);
        }
    }
}
