package org.savesync.server.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin command line's own checks, before it talks to any hub (AdminCliIT covers the calls). */
class AdminCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cl = AdminCommand.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void withoutATokenItSaysWhereToFindOne() {
        assertThat(run(Map.of(), "groups")).isEqualTo(AdminCommand.FAILED);
        assertThat(err.toString()).startsWith("savesync-server admin: no admin token: pass --token-file FILE")
                .contains("SAVESYNC_ADMIN_TOKEN");
    }

    @Test
    void theTokenComesFromTheFirstSourceGiven() throws Exception {
        Path file = tmp.resolve("t");
        Files.writeString(file, " from-file \n");
        Path dir = tmp.resolve("hub");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HubConnection.TOKEN_FILE), "from-data-dir\n");
        HubConnection c = new HubConnection();
        c.dataDir = dir;
        assertThat(c.token(Map.of())).isEqualTo("from-data-dir");
        assertThat(c.token(Map.of(HubConnection.TOKEN_ENV, "from-env"))).isEqualTo("from-env");
        c.tokenFile = file;
        assertThat(c.token(Map.of(HubConnection.TOKEN_ENV, "from-env"))).isEqualTo("from-file");
        c.token = "given";
        assertThat(c.token(Map.of())).isEqualTo("given");
    }

    @Test
    void aTokenFileThatIsNotOneIsRefused() throws Exception {
        Path big = tmp.resolve("big");
        Files.write(big, new byte[HubConnection.MAX_TOKEN + 1]);
        assertThat(run(Map.of(), "groups", "--token-file", big.toString())).isEqualTo(AdminCommand.FAILED);
        assertThat(err.toString()).contains("is larger than");
        assertThat(run(Map.of(), "groups", "--token-file", tmp.resolve("missing").toString()))
                .isEqualTo(AdminCommand.FAILED);
        assertThat(err.toString()).contains("cannot read the token file");
    }

    @Test
    void aHubThatIsNotHostAndPortIsRefused() {
        assertThat(run(Map.of(), "groups", "--token", "x", "--hub", "http://hub/")).isEqualTo(AdminCommand.FAILED);
        assertThat(err.toString()).contains("--hub must be HOST:PORT");
    }

    @Test
    void optionsGivenBeforeTheCommandCountAndThoseAfterItWin() throws Exception {
        Path dir = tmp.resolve("hub");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HubConnection.TOKEN_FILE), "from-data-dir\n");
        // As the README writes it: A="savesync-server admin --hub H --data-dir D"; $A groups
        assertThat(run(Map.of(), "--hub", "http://hub/", "--data-dir", dir.toString(), "groups"))
                .isEqualTo(AdminCommand.FAILED);
        assertThat(err.toString()).as("--hub and --data-dir before `groups` reach it")
                .contains("--hub must be HOST:PORT").contains("'http://hub/'").doesNotContain("no admin token");
        assertThat(run(Map.of(), "--data-dir", dir.toString(), "invites", "create", "G", "--hub", "also/bad"))
                .isEqualTo(AdminCommand.FAILED);
        assertThat(err.toString()).as("through `invites` to `create`, and the later --hub wins").contains("'also/bad'");
        HubConnection inner = new HubConnection();
        HubConnection outer = new HubConnection();
        outer.hub = "outer:1";
        outer.token = "outer-token";
        inner.hub = "inner:2";
        inner.inheritFrom(outer);
        assertThat(inner.address()).isEqualTo("inner:2");
        assertThat(inner.token(Map.of())).isEqualTo("outer-token");
        assertThat(new HubConnection().address()).isEqualTo("127.0.0.1:22080");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"groups", "--help"}, {"retention", "set", "--help"},
                {"events", "--help"}}) {
            assertThat(run(Map.of(), args)).as(String.join(" ", args)).isZero();
        }
        assertThat(out.toString()).contains("rotate-enrollment-token").contains("--keep-versions").contains("--follow");
    }
}
