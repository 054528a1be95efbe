package org.savesync.agent.cli;

import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The {@code savesync} command. {@code run} starts the agent (Quarkus, in the foreground);
 * every other command is a small client of a running agent's local API and starts no
 * server of its own.
 */
@QuarkusMain
public final class Main {
    private Main() {
    }

    public static void main(String... args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SavesyncCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                cmd.getErr().println("savesync: " + c.getMessage());
                return c.exitCode();
            }
            cmd.getErr().println("savesync: " + e);
            return 1;
        });
        return cl;
    }
}
