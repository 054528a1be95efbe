package org.savesync.agent.cli;

import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintWriter;
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
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd.getErr()));
        // A bad option or value: one line saying which and where the help is, not the whole usage.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("savesync: " + e.getMessage().lines().findFirst().orElse("bad arguments") + "; see `"
                    + cmd.getCommandSpec().qualifiedName() + " --help`");
            return CliException.USAGE;
        });
        return cl;
    }

    /** Says on {@code err} why a command failed; returns its exit code (also {@link ClientFastPath}'s). */
    static int failed(Exception e, PrintWriter err) {
        if (e instanceof CliException c) {
            err.println("savesync: " + c.getMessage());
            return c.exitCode();
        }
        err.println("savesync: " + (e.getMessage() != null && !e.getMessage().isBlank()
                ? e.getMessage().lines().findFirst().orElse("") : e.toString()));
        return CliException.FAILED;
    }
}
