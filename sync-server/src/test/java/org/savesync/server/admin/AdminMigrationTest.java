package org.savesync.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * V2__admin.sql applied to a database a hub of the previous version (V1 only) left behind, on
 * the embedded PostgreSQL server the tests run: the old rows stay, the new tables and their
 * range checks are there.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class AdminMigrationTest {
    @Test
    void aV1DatabaseMigratesAndKeepsItsRows() throws Exception {
        String url = ConfigProvider.getConfig().getValue("savesync.db.url", String.class);
        String user = ConfigProvider.getConfig().getValue("savesync.db.username", String.class);
        String password = ConfigProvider.getConfig().getOptionalValue("savesync.db.password", String.class).orElse("");
        String server = url.substring(0, url.lastIndexOf('/') + 1);
        String db = "savesync_v1_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin(server + "postgres", user, password, "CREATE DATABASE " + db);
        try {
            Flyway v1 = Flyway.configure().dataSource(server + db, user, password).locations("classpath:db/migration")
                    .target("1").load();
            v1.migrate();
            try (Connection c = DriverManager.getConnection(server + db, user, password);
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO nodes (node_id, name) VALUES (decode(repeat('ab', 32), 'hex'), 'alice')");
                for (int seq = 1; seq <= 3; seq++) { // three versions of a path, stored as a hub before V6 stores them:
                    // the one replaced is marked superseded (its row moves to the end of the table), then the new one goes in
                    s.execute("UPDATE entries SET superseded = true WHERE seq = " + (seq - 1));
                    s.execute("INSERT INTO entries (group_id, author, seq, path, type, size, mtime_nanos, signed_bytes,"
                            + " signature) VALUES (decode(repeat('cd', 16), 'hex'), decode(repeat('ab', 32), 'hex'), "
                            + seq + ", 'a.txt', 'DIRECTORY', 0, 0, '\\x00', '\\x00')");
                }
                // A row written again later moves in the table too: the table's order is not the order of arrival.
                s.execute("UPDATE entries SET size = 0 WHERE seq = 1");
                assertThat(exists(s, "audit_event")).as("V1 has no audit log").isFalse();
            }

            var result = Flyway.configure().dataSource(server + db, user, password).locations("classpath:db/migration")
                    .load().migrate();
            assertThat(result.targetSchemaVersion).as("the newest migration").isEqualTo("6");
            try (Connection c = DriverManager.getConnection(server + db, user, password);
                 Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT name FROM nodes")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo("alice");
                }
                try (ResultSet r = s.executeQuery("SELECT revoked_at, revoked_by FROM nodes")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getObject(1)).as("V5: a node enrolled before is not revoked").isNull();
                    assertThat(r.getObject(2)).isNull();
                }
                assertThat(exists(s, "audit_event")).isTrue();
                assertThat(exists(s, "retention_policy")).isTrue();
                try (ResultSet r = s.executeQuery("SELECT seq, arrival, received_at FROM entries ORDER BY seq")) {
                    long previous = 0;
                    for (int seq = 1; seq <= 3; seq++) { // V6: rows stored before it get an arrival, in seq order, and a time
                        assertThat(r.next()).isTrue();
                        assertThat(r.getLong(2)).as("arrival of seq %d", seq).isGreaterThan(previous);
                        previous = r.getLong(2);
                        assertThat(r.getObject(3)).as("received_at of seq %d", seq).isNotNull();
                    }
                }
                s.execute("UPDATE entries SET superseded = true WHERE seq = 3");
                s.execute("INSERT INTO entries (group_id, author, seq, path, type, size, mtime_nanos, signed_bytes,"
                        + " signature) VALUES (decode(repeat('cd', 16), 'hex'), decode(repeat('ab', 32), 'hex'), 4,"
                        + " 'a.txt', 'DIRECTORY', 0, 0, '\\x00', '\\x00')");
                try (ResultSet r = s.executeQuery("SELECT max(arrival) = (SELECT arrival FROM entries WHERE seq = 4)"
                        + " FROM entries")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getBoolean(1)).as("a row stored after V6 arrives after every older one").isTrue();
                }
                s.execute("INSERT INTO retention_policy VALUES (decode(repeat('cd', 16), 'hex'), 1000, 36500,"
                        + " 1125899906842624, 1, 'op', now())");
                assertThatThrownBy(() -> s.execute("INSERT INTO retention_policy VALUES (decode(repeat('ef', 16),"
                        + " 'hex'), 0, 1, 0, 1, 'op', now())")).as("keep_versions 0").isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.execute("INSERT INTO retention_policy VALUES (decode(repeat('ef', 16),"
                        + " 'hex'), 1, 1, 1125899906842625, 1, 'op', now())")).as("over 1 PiB")
                        .isInstanceOf(SQLException.class);
            }
        } finally {
            admin(server + "postgres", user, password, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static void admin(String url, String user, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
