package org.savesync.server.cli;

import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code savesync-server}: the hub, in the foreground until Ctrl-C (or SIGTERM); {@code
 * savesync-server admin ...} is the admin command line instead ({@link
 * org.savesync.server.cli.admin.AdminCommand}). Bad
 * arguments, an unusable data dir or a database that cannot be opened end it with one line
 * on standard error and exit code {@value HubCommand#FAILED}.
 */
@QuarkusMain
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String... args) {
        // Everything logs through Quarkus' log manager (its format, its levels, on standard output), also what
        // the embedded PostgreSQL logs before Quarkus starts: otherwise java.util.logging's default handler
        // writes that to standard error, where only the one line of a fault belongs.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        if (args.length > 0 && args[0].equals("admin")) {
            // The admin command line is a gRPC client of a running hub: it starts no hub of its own.
            System.exit(org.savesync.server.cli.admin.AdminCommand.commandLine(System.getenv())
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(commandLine(new HubLauncher(), System.getenv()).execute(args));
    }

    /** The command line with its launcher and environment given (tests pass their own). */
    public static CommandLine commandLine(HubCommand.Launcher launcher, Map<String, String> env) {
        CommandLine cl = new CommandLine(new HubCommand(launcher, env));
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("savesync-server: " + e.getMessage() + " (see --help)");
            return HubCommand.FAILED;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("savesync-server: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return HubCommand.FAILED;
        });
        return cl;
    }
}
