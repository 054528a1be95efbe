package org.savesync.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDatabaseTest {
    @TempDir
    Path tmp;

    @Test
    void embeddedCreatesTheDatabaseKeepsDataAndRequiresThePassword() throws Exception {
        Path dir = tmp.resolve("hub");
        try (HubDatabase db = open(dir)) {
            assertThat(db.embedded()).isTrue();
            assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/savesync");
            try (Connection c = connect(db); Statement s = c.createStatement()) {
                assertThat(query(s, "SELECT current_database()")).isEqualTo("savesync");
                assertThat(query(s, "SHOW fsync")).isEqualTo("on");
                assertThat(query(s, "SHOW synchronous_commit")).isEqualTo("on");
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
        Path base = dir.resolve("postgres");
        assertThat(base.resolve("data/PG_VERSION")).exists();
        assertThat(Files.list(base).map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("PG-"));
        assertThat(base.resolve("data/postmaster.pid")).doesNotExist();
        assertThat(Files.getPosixFilePermissions(base.resolve(EmbeddedServer.PASSWORD_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE);

        try (HubDatabase again = open(dir); Connection c = connect(again); Statement s = c.createStatement()) {
            assertThat(query(s, "SELECT v FROM kept")).isEqualTo("42");
        }
    }

    @Test
    void aLostPasswordFileIsReplacedAndTheDataKept() throws Exception {
        Path dir = tmp.resolve("hub");
        String before;
        try (HubDatabase db = open(dir); Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v int)");
            s.execute("INSERT INTO kept VALUES (7)");
            before = db.password().orElseThrow();
        }
        Files.delete(dir.resolve("postgres").resolve(EmbeddedServer.PASSWORD_FILE));

        try (HubDatabase db = open(dir); Connection c = connect(db); Statement s = c.createStatement()) {
            assertThat(db.password()).isPresent().get().isNotEqualTo(before);
            assertThat(query(s, "SELECT v FROM kept")).isEqualTo("7");
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", before).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void aDataDirectoryOfAnotherUserIsRefusedWithWhatToDo() throws Exception {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "needs root to give a directory away");
        Path data = Files.createDirectories(tmp.resolve("theirs/postgres/data"));
        Files.setAttribute(data, "unix:uid", 65534);

        assertThatThrownBy(() -> open(tmp.resolve("theirs"))).isInstanceOf(HubDatabaseException.class)
                .hasMessageContaining(data.toString()).hasMessageContaining("uid 65534")
                .hasMessageContaining("run the hub as");
        // The lock was let go: opening again from this JVM would otherwise fail (overlapping lock).
        Files.setAttribute(data, "unix:uid", 0);
        try (HubDatabase db = open(tmp.resolve("theirs"))) {
            assertThat(db.embedded()).isTrue();
        }
    }

    @Test
    void aSecondHubOnTheSameDataDirIsRefused() {
        Path dir = tmp.resolve("hub");
        try (HubDatabase first = open(dir)) {
            assertThatThrownBy(() -> open(dir)).isInstanceOf(HubDatabaseException.class)
                    .hasMessageContaining("another savesync-server").hasMessageContaining(dir.toString());
            assertThat(first.embedded()).isTrue();
        }
    }

    /**
     * The hub is killed with SIGKILL: its postmaster outlives it and holds the data directory.
     * The next start stops that postmaster and starts again on the same data, which is intact.
     */
    @Test
    void recoversFromAHubKilledWithSigkill() throws Exception {
        Path dir = tmp.resolve("killed");
        Process child = startChild(dir);
        Path pidFile = dir.resolve("postgres/data/postmaster.pid");
        try {
            killAndRecover(child, pidFile, dir);
        } finally {
            child.destroyForcibly();
            StalePostmaster.stopLeftovers(dir.resolve("postgres/data"));
        }
    }

    private static void killAndRecover(Process child, Path pidFile, Path dir) throws Exception {
        long orphan = StalePostmaster.postmasterPid(pidFile).orElseThrow();
        assertThat(StalePostmaster.running(orphan)).isTrue();

        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(StalePostmaster.running(orphan)).as("the postmaster outlives the killed hub").isTrue();

        try (HubDatabase db = open(dir); Connection c = connect(db); Statement s = c.createStatement()) {
            assertThat(StalePostmaster.running(orphan)).as("the orphan was stopped").isFalse();
            assertThat(query(s, "SELECT note FROM survivor")).isEqualTo("written before the kill");
            assertThat(StalePostmaster.postmasterPid(pidFile)).isPresent().get().isNotEqualTo(orphan);
        }
    }

    @Test
    void aStalePidFileNamingAnotherProcessIsRemovedAndThatProcessLeftAlone() throws Exception {
        Path dir = tmp.resolve("stale");
        open(dir).close();
        Process bystander = new ProcessBuilder("sleep", "120").start();
        try {
            Path pidFile = dir.resolve("postgres/data/postmaster.pid");
            Files.writeString(pidFile, bystander.pid() + "\n" + dir.resolve("postgres/data") + "\n");
            try (HubDatabase db = open(dir); Connection c = connect(db); Statement s = c.createStatement()) {
                assertThat(query(s, "SELECT 1")).isEqualTo("1");
            }
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            bystander.destroyForcibly();
        }
    }

    @Test
    void aDataDirThatIsAFileIsReportedWithWhatToDo() throws Exception {
        Path dir = tmp.resolve("file-in-the-way");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("postgres"), "not a directory");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(HubDatabaseException.class)
                .hasMessageContaining(dir.resolve("postgres").toString()).hasMessageContaining("not a directory");
    }

    @Test
    void anExternalUrlThatIsNotPostgresIsRefused() {
        assertThatThrownBy(() -> HubDatabase.open(tmp, Optional.of("mysql://db/x"), Optional.empty(), Optional.empty()))
                .isInstanceOf(HubDatabaseException.class).hasMessageContaining("SYNC_DB_URL")
                .hasMessageContaining("jdbc:postgresql://HOST:5432/DATABASE");
    }

    @Test
    void anExternalServerThatDoesNotAnswerIsReported() {
        assertThatThrownBy(() -> HubDatabase.open(tmp, Optional.of("jdbc:postgresql://127.0.0.1:1/savesync"),
                Optional.of("postgres"), Optional.empty()))
                .isInstanceOf(HubDatabaseException.class).hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("is PostgreSQL running there");
        assertThat(tmp.resolve("postgres")).doesNotExist();
    }

    @Test
    void anExternalServerIsCheckedAndUsedAsGiven() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/postgres";
        assumeTrue(answers(url), "no PostgreSQL answers at 127.0.0.1:5432 (user postgres, trust)");
        try (HubDatabase db = HubDatabase.open(tmp, Optional.of(url), Optional.of("postgres"), Optional.empty())) {
            assertThat(db.embedded()).isFalse();
            assertThat(db.jdbcUrl()).isEqualTo(url);
            assertThat(db.username()).contains("postgres");
            assertThat(db.password()).isEmpty();
        }
        assertThatThrownBy(() -> HubDatabase.open(tmp, Optional.of("jdbc:postgresql://127.0.0.1:5432/no_such_db_here"),
                Optional.of("postgres"), Optional.empty()))
                .isInstanceOf(HubDatabaseException.class).hasMessageContaining("create the database");
        assertThat(tmp.resolve("postgres")).doesNotExist();
    }

    // ------------------------------------------------------------------ helpers

    private static HubDatabase open(Path dir) {
        return HubDatabase.open(dir, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Connection connect(HubDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username().orElseThrow(), db.password().orElseThrow());
    }

    private static String query(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    static boolean answers(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Starts {@link HubDatabaseChild} on {@code dir} and waits until it says its database is ready. */
    private static Process startChild(Path dir) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(javaBin, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", cp,
                HubDatabaseChild.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.equals("ready")) {
                        return;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("the child exited before its database was ready");
        });
        try {
            ready.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not get its database ready: " + e + "\n"
                    + String.join("\n", output), e);
        }
        // Keep draining so the child never blocks on a full pipe.
        CompletableFuture.runAsync(() -> {
            try {
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the child is gone
            }
        });
        return p;
    }
}
