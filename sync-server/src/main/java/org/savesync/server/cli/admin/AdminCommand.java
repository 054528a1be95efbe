package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code savesync-server admin [OPTIONS] SUBCOMMAND [--hub HOST:PORT] [--token-file FILE | --data-dir DIR]
 * [--json] ...}: the hub's admin API over gRPC. Exit code 0 on success, {@value #FAILED} with one
 * line on standard error otherwise.
 *
 * <p>Adding a subcommand: a class extending {@link AdminCall} with a picocli {@code @Command},
 * listed in {@code subcommands} below.
 */
@Command(name = "savesync-server admin", subcommands = {
        AdminLists.Groups.class, AdminLists.Members.class, AdminMembership.Remove.class, AdminMembership.Invites.class,
        AdminLists.Nodes.class, AdminLists.Enrollments.class,
        AdminChanges.RevokeEnrollment.class, AdminChanges.RotateEnrollmentToken.class, AdminRetention.class,
        AdminBackups.Versions.class, AdminBackups.Tree.class, AdminBackups.Content.class, AdminBackups.Storage.class,
        AdminBackups.Run.class, AdminLists.Audit.class, AdminEvents.class}, description = {"Administers a running hub over its gRPC"
        + " admin API (the hub's HTTP port), with a bearer token: the hub's local token (--data-dir DIR or"
        + " --token-file DIR/admin-token), or an access token of the configured issuer ($SAVESYNC_ADMIN_TOKEN)."},
        synopsisSubcommandLabel = "COMMAND")
public final class AdminCommand implements Callable<Integer> {
    /** Exit code of a failed command. */
    public static final int FAILED = 1;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The connection options given before the command name; each command takes those it was not given. */
    @Mixin
    HubConnection connection;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return FAILED;
    }

    /** One admin call: the shared connection options, a channel to the hub, and where to print. */
    public abstract static class AdminCall implements Callable<Integer> {
        @Mixin
        HubConnection hub;

        @Spec
        CommandLine.Model.CommandSpec spec;

        Map<String, String> env = System.getenv();

        @Override
        public final Integer call() throws Exception {
            for (CommandLine.Model.CommandSpec p = spec.parent(); p != null; p = p.parent()) {
                if (p.userObject() instanceof AdminCall outer) {
                    hub.inheritFrom(outer.hub);
                } else if (p.userObject() instanceof AdminCommand top) {
                    hub.inheritFrom(top.connection);
                }
            }
            ManagedChannel channel = hub.open(env);
            try {
                run(channel, new Output(spec.commandLine().getOut(), hub.json));
                return 0;
            } finally {
                HubConnection.close(channel);
            }
        }

        /** Makes the call(s) and prints the answer. */
        abstract void run(ManagedChannel channel, Output out) throws Exception;

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /** The command line of {@code admin} with the process's environment ({@code env} for tests). */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new AdminCommand(), new CommandLine.IFactory() {
            private final CommandLine.IFactory standard = CommandLine.defaultFactory();

            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = standard.create(cls);
                if (made instanceof AdminCall call) {
                    call.env = env;
                }
                return made;
            }
        });
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("savesync-server admin: " + e.getMessage() + " (see --help)");
            return FAILED;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Object user = cmd.getCommand();
            HubConnection hub = user instanceof AdminCall a ? a.hub : new HubConnection();
            cmd.getErr().println("savesync-server admin: " + Failures.describe(e, hub));
            return FAILED;
        });
        return cl;
    }

}
