package org.savesync.server;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh database {@code savesync_test_<random>} on the machine's PostgreSQL
 * ({@value #SERVER}, user postgres, trust) for one {@code @QuarkusTest} run, dropped after;
 * plus a temporary data dir and a free loopback UDP port for the hub. Tests that use it are
 * skipped when nothing answers there (see {@link #answers()}).
 */
public final class TestPostgres implements QuarkusTestResourceLifecycleManager {
    static final String SERVER = "127.0.0.1:5432";
    private static final String ADMIN_URL = "jdbc:postgresql://" + SERVER + "/postgres";

    private String database;
    private Path dataDir;

    /** Whether the machine's PostgreSQL answers; the condition of the tests that need it. */
    public static boolean answers() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public Map<String, String> start() {
        database = "savesync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database);
        try {
            dataDir = Files.createTempDirectory("savesync-hub-test");
            int port;
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            return Map.of(
                    "savesync.db.url", "jdbc:postgresql://" + SERVER + "/" + database,
                    "savesync.db.username", "postgres",
                    "savesync.data-dir", dataDir.toString(),
                    "savesync.listen", "127.0.0.1:" + port,
                    "savesync.anti-entropy-interval", "10m");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        if (dataDir != null) {
            try (Stream<Path> all = Files.walk(dataDir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + ": " + sql + ": " + e.getMessage(), e);
        }
    }
}
