package org.savesync.agent.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * The {@code savesync} client commands without Quarkus: the same command tree, options, output,
 * error messages and exit codes as {@link Main}, started by {@code bin/savesync} on a short class
 * path (this module, sync-core, picocli, Jackson) so a command such as {@code status} starts in a
 * fraction of the time booting the packaged application takes.
 *
 * <p>Only {@code run} needs the application; {@code bin/savesync} sends any command line that
 * mentions it to {@link Main} in the packaged application. Should {@code run} reach this class
 * anyway (started by hand), it says where to start the agent instead of failing on a missing
 * class.
 */
public final class ClientMain {
    /** What the client says, exiting with {@link CliException#USAGE}, when asked to {@code run}. */
    static final String RUN_NEEDS_APP = "`run` starts the agent, which this client cannot: run it as"
            + " `java -jar peer-agent/target/quarkus-app/quarkus-run.jar ... run` or through bin/savesync";

    private ClientMain() {
    }

    public static void main(String... args) {
        System.exit(execute(ClientFastPath.stderr(System.err), args));
    }

    /**
     * {@link ClientFastPath} for the few command lines it knows exactly, picocli for every other;
     * errors on {@code err} (null: picocli's own standard error, and no fast path).
     */
    static int execute(PrintWriter err, String... args) {
        OptionalInt fast = err != null ? ClientFastPath.run(List.of(args), err) : OptionalInt.empty();
        if (fast.isPresent()) {
            return fast.getAsInt();
        }
        CommandLine cl = commandLine();
        if (err != null) {
            cl.setErr(err);
        }
        return cl.execute(args);
    }

    /** {@link Main#commandLine()}, refusing {@code run} before it starts. */
    static CommandLine commandLine() {
        CommandLine cl = Main.commandLine();
        CommandLine.IExecutionStrategy normal = cl.getExecutionStrategy();
        cl.setExecutionStrategy(parsed -> {
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (p.commandSpec().userObject() instanceof RunCommand && !p.isUsageHelpRequested()) {
                    // wrapped, so Main's execution exception handler prints it and exits with its code
                    throw new CommandLine.ExecutionException(p.commandSpec().commandLine(), RUN_NEEDS_APP,
                            new CliException(CliException.USAGE, RUN_NEEDS_APP));
                }
            }
            return normal.execute(parsed);
        });
        return cl;
    }
}
