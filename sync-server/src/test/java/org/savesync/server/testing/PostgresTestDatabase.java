package org.savesync.server.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
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
 * A fresh database {@code savesync_test_<random>} on some PostgreSQL server for one run of
 * the Quarkus tests, dropped afterwards, plus a fresh data directory. Subclasses say which
 * server ({@link ExternalPostgres}; an embedded one starts its server in {@link #server()}).
 * Sets {@code savesync.db.url}, {@code savesync.db.username}, {@code savesync.db.password}
 * (mapped to the datasource in application.properties) and {@code savesync.data-dir}.
 */
public abstract class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {
    /** Where a server answers, and how to log in as a user that may create databases. */
    public record Server(String host, int port, String user, String password) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private Server server;
    private String database;
    private Path dataDir;

    /** Starts (or finds) the server; called once per run. */
    protected abstract Server server() throws Exception;

    /** Stops a server that {@link #server()} started; nothing by default. */
    protected void stopServer() throws Exception {
    }

    @Override
    public Map<String, String> start() {
        try {
            server = server();
            database = "savesync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            admin("CREATE DATABASE " + database);
            dataDir = Files.createTempDirectory("savesync-hub-test");
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare a test database: " + e.getMessage(), e);
        }
        int udp;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            udp = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback UDP port: " + e.getMessage(), e);
        }
        // The hub's QUIC endpoint on loopback only, on a port of its own: tests never listen outward.
        return Map.of("savesync.db.url", server.url(database),
                "savesync.db.username", server.user(),
                "savesync.db.password", server.password() == null ? "" : server.password(),
                "savesync.data-dir", dataDir.toString(),
                "savesync.listen", "127.0.0.1:" + udp);
    }

    @Override
    public void stop() {
        try {
            if (database != null) {
                admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (dataDir != null) {
                deleteTree(dataDir);
            }
            stopServer();
        } catch (Exception e) {
            throw new IllegalStateException("cannot clean up test database " + database + ": " + e.getMessage(), e);
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.url("postgres"), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
