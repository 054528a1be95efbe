package org.savesync.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HubCommandTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>();
    private HubCommand.Settings launched;
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ServerMain.commandLine(s -> {
            launched = s;
            return 7;
        }, env);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private void assertOneLineError(String... fragments) {
        String text = err.toString();
        assertThat(text.strip().lines()).hasSize(1);
        assertThat(text).startsWith("savesync-server: ").contains(fragments);
        assertThat(launched).as("the hub must not start").isNull();
    }

    @Test
    void goodArgumentsReachTheLauncherWithAnOwnerOnlyDataDir() throws Exception {
        env.put("SYNC_DB_URL", "jdbc:postgresql://db.example:5432/savesync");
        env.put("SYNC_DB_USER", "hub");
        env.put("SYNC_DB_PASSWORD", "s3cret");
        Path dir = tmp.resolve("new-hub");

        int code = run("--data-dir", dir.toString(), "--listen", "127.0.0.1:23000", "--http-port", "23080",
                "--management-port", "23081");

        assertThat(code).as("the launcher's exit code").isEqualTo(7);
        assertThat(launched).isEqualTo(new HubCommand.Settings(dir, Optional.of("127.0.0.1:23000"), Optional.of(23080),
                Optional.of(23081), Optional.of("jdbc:postgresql://db.example:5432/savesync"), Optional.of("hub"), Optional.of("s3cret")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutOptionsTheDefaultsApply() {
        assertThat(run("--data-dir", tmp.toString())).isEqualTo(7);
        assertThat(launched).isEqualTo(new HubCommand.Settings(tmp, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void theDataDirIsRequired() {
        assertThat(run("--listen", "0.0.0.0:22000")).isEqualTo(1);
        assertOneLineError("--data-dir");
    }

    @Test
    void aDataDirThatIsAFileIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThat(run("--data-dir", f.toString())).isEqualTo(1);
        assertOneLineError(f.toString(), "is a file");
    }

    @Test
    void aDataDirInsideAFileIsRefused() throws Exception {
        Path f = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThat(run("--data-dir", f.resolve("hub").toString())).isEqualTo(1);
        assertOneLineError("cannot be created", "is a file");
    }

    @Test
    void aDataDirThatCannotBeWrittenIsRefused() {
        // /proc refuses new files even to root.
        assertThat(run("--data-dir", "/proc")).isEqualTo(1);
        assertOneLineError("/proc", "not writable", "choose another --data-dir");
    }

    @Test
    void aBadListenAddressIsRefused() {
        assertThat(run("--data-dir", tmp.toString(), "--listen", "22000")).isEqualTo(1);
        assertOneLineError("--listen must be HOST:PORT");
    }

    @Test
    void aListenPortOutOfRangeIsRefused() {
        assertThat(run("--data-dir", tmp.toString(), "--listen", "0.0.0.0:70000")).isEqualTo(1);
        assertOneLineError("--listen", "out of range");
    }

    @Test
    void aBadHttpPortIsRefused() {
        assertThat(run("--data-dir", tmp.toString(), "--http-port", "0")).isEqualTo(1);
        assertOneLineError("--http-port must be between 1 and 65535");
        err.getBuffer().setLength(0);
        assertThat(run("--data-dir", tmp.toString(), "--http-port", "web")).isEqualTo(1);
        assertOneLineError("--http-port");
    }

    @Test
    void aBadManagementPortIsRefused() {
        assertThat(run("--data-dir", tmp.toString(), "--management-port", "70000")).isEqualTo(1);
        assertOneLineError("--management-port must be between 1 and 65535");
        err.getBuffer().setLength(0);
        assertThat(run("--data-dir", tmp.toString(), "--http-port", "23080", "--management-port", "23080")).isEqualTo(1);
        assertOneLineError("--http-port and --management-port must differ");
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresIsRefused() {
        env.put("SYNC_DB_URL", "mysql://db/savesync");
        assertThat(run("--data-dir", tmp.toString())).isEqualTo(1);
        assertOneLineError("SYNC_DB_URL must be a PostgreSQL JDBC URL");
    }

    @Test
    void aFailureWhileLaunchingIsOneLineToo() {
        CommandLine cl = ServerMain.commandLine(s -> {
            throw new org.savesync.server.db.HubDatabaseException("the embedded PostgreSQL did not start; see LOG");
        }, env);
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("--data-dir", tmp.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("savesync-server: the embedded PostgreSQL did not start; see LOG");
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--data-dir=DIR", "--listen=HOST:PORT", "--http-port=PORT", "22080", "--management-port=PORT", "22081",
                "SYNC_DB_URL", "enrollment-token");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("savesync-server 0.1.0");
        assertThat(launched).isNull();
    }
}
