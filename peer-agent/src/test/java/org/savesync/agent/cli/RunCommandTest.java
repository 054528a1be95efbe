package org.savesync.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code savesync run}'s options become the agent's settings; bad ones stop it before anything starts. */
class RunCommandTest {
    private static final String HUB = "127.0.0.1:22000#" + "a".repeat(51) + "q";

    @TempDir
    Path tmp;

    private RunCommand parse(String... runArgs) {
        CommandLine cl = Main.commandLine();
        String[] args = new String[runArgs.length + 3];
        args[0] = "--data-dir";
        args[1] = tmp.resolve("data").toString();
        args[2] = "run";
        System.arraycopy(runArgs, 0, args, 3, runArgs.length);
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (RunCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void hubAndTokenBecomeSettings() {
        RunCommand run = parse("--hub", HUB, "--enroll-token", "s3cret", "--listen", "127.0.0.1:0");

        assertThat(run.properties()).containsEntry("savesync.hub", HUB).containsEntry("savesync.enroll-token", "s3cret")
                .containsEntry("savesync.listen", "127.0.0.1:0");
    }

    @Test
    void withoutHubNoHubSettings() {
        assertThat(parse().properties()).doesNotContainKeys("savesync.hub", "savesync.enroll-token");
    }

    @Test
    void aBadHubFailsWithTheParsersMessageBeforeAnythingStarts() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));

        int code = cl.execute("--data-dir", tmp.resolve("data").toString(), "run", "--hub", "127.0.0.1:22000");

        assertThat(code).isEqualTo(CliException.FAILED);
        assertThat(err.toString()).contains("savesync: --hub: a hub is written HOST:PORT#NODE_ID, as the sync server"
                + " prints it; got '127.0.0.1:22000'");
        assertThat(Files.exists(tmp.resolve("data"))).as("nothing was set up").isFalse();
    }

    @Test
    void aTokenWithoutHubIsRefused() {
        RunCommand run = parse("--enroll-token", "s3cret");
        // (unless SAVESYNC_HUB is set in the environment, which a test run does not do)
        assertThatThrownBy(run::properties).isInstanceOf(CliException.class)
                .hasMessageStartingWith("--enroll-token: an enrollment token is only used with a hub");
    }
}
