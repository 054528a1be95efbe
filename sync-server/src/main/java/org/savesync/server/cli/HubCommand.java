package org.savesync.server.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.server.db.HubDatabase;
import org.savesync.server.db.HubDatabaseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code savesync-server --data-dir DIR [--listen HOST:PORT] [--http-port PORT]
 * [--management-port PORT]}: checks the
 * arguments and the environment, then hands a {@link Settings} to the {@link Launcher}.
 */
@Command(name = "savesync-server", mixinStandardHelpOptions = true, version = "savesync-server 0.1.0",
        description = {"The SaveSync hub: a member of every group registered with it, keeping a full replica and"
                + " backup. Runs in the foreground; Ctrl-C stops it.",
                "",
                "Metadata goes to an embedded PostgreSQL under DIR/postgres unless SYNC_DB_URL"
                        + " (jdbc:postgresql://HOST:PORT/DB, with SYNC_DB_USER and SYNC_DB_PASSWORD) names a server of"
                        + " your own. Agents enroll with the token in DIR/enrollment-token.",
                "",
                "The admin API takes the bearer token in DIR/admin-token (its path is printed at start, as"
                        + " 'admin token: PATH'), or, with QUARKUS_OIDC_AUTH_SERVER_URL set, that issuer's access"
                        + " tokens.",
                "",
                "`savesync-server admin --help`: the admin command line (a client of a running hub)."},
        sortOptions = false)
public final class HubCommand implements Callable<Integer> {
    /** Exit code for bad arguments and anything else that stops the hub from starting. */
    public static final int FAILED = 1;
    /** The admin API's HTTP port when --http-port is not given. */
    public static final int DEFAULT_HTTP_PORT = 22080;
    /** The health and metrics HTTP port (the management interface) when --management-port is not given. */
    public static final int DEFAULT_MANAGEMENT_PORT = 22081;

    /** What the command decided; the launcher runs the hub with it. */
    public record Settings(Path dataDir, Optional<String> listen, Optional<Integer> httpPort,
                           Optional<Integer> managementPort, Optional<String> dbUrl, Optional<String> dbUser,
                           Optional<String> dbPassword) {
    }

    /** Runs the hub (opens the database, runs Quarkus); returns the exit code. */
    @FunctionalInterface
    public interface Launcher {
        int launch(Settings settings);
    }

    private final Launcher launcher;
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", required = true, description = "where the hub keeps its key,"
            + " enrollment token, embedded database and chunks (created owner-only if missing)")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "UDP address for QUIC (default 0.0.0.0:22000,"
            + " or $SAVESYNC_LISTEN)")
    String listen;

    @Option(names = "--http-port", paramLabel = "PORT", description = "port of the admin API on 127.0.0.1"
            + " (default " + DEFAULT_HTTP_PORT + ", or $QUARKUS_HTTP_PORT)")
    Integer httpPort;

    @Option(names = "--management-port", paramLabel = "PORT", description = "port of /q/health and /q/metrics on"
            + " 127.0.0.1 (default " + DEFAULT_MANAGEMENT_PORT + ", or $QUARKUS_MANAGEMENT_PORT)")
    Integer managementPort;

    HubCommand(Launcher launcher, Map<String, String> env) {
        this.launcher = launcher;
        this.env = env;
    }

    @Override
    public Integer call() {
        Path dir = usableDataDir(dataDir.toAbsolutePath().normalize());
        if (listen != null) {
            checkListen(listen);
        }
        checkPort("--http-port", httpPort);
        checkPort("--management-port", managementPort);
        if (httpPort != null && httpPort.equals(managementPort)) {
            throw fail("--http-port and --management-port must differ (both " + httpPort + ")");
        }
        Optional<String> dbUrl = env("SYNC_DB_URL");
        if (dbUrl.isPresent()) {
            try {
                HubDatabase.checkUrl(dbUrl.get().strip());
            } catch (HubDatabaseException e) {
                throw fail(e.getMessage());
            }
        }
        return launcher.launch(new Settings(dir, Optional.ofNullable(listen), Optional.ofNullable(httpPort),
                Optional.ofNullable(managementPort), dbUrl, env("SYNC_DB_USER"), env("SYNC_DB_PASSWORD")));
    }

    private void checkPort(String option, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            throw fail(option + " must be between 1 and 65535, not " + port);
        }
    }

    private Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank());
    }

    private void checkListen(String value) {
        InetSocketAddress a;
        try {
            a = QuicNetwork.parseAddress(value);
        } catch (IllegalArgumentException e) {
            throw fail("--listen must be HOST:PORT (e.g. 0.0.0.0:22000): " + e.getMessage());
        }
        if (a.isUnresolved()) {
            throw fail("--listen " + value + ": cannot resolve the host '" + a.getHostString() + "'");
        }
    }

    /** The data dir, created owner-only when missing; refused unless this user can write in it. */
    private Path usableDataDir(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (FileAlreadyExistsException e) {
            throw fail("the data dir " + dir + " cannot be created: " + e.getFile() + " is a file, not a directory");
        } catch (IOException e) {
            Path blocker = dir;
            while (blocker != null && !Files.exists(blocker)) {
                blocker = blocker.getParent();
            }
            if (blocker != null && !Files.isDirectory(blocker)) {
                throw fail("the data dir " + dir + " cannot be created: " + blocker + " is a file, not a directory");
            }
            throw fail("the data dir " + dir + " cannot be created (" + describe(e) + "); choose another --data-dir");
        }
        if (!Files.isDirectory(dir)) {
            throw fail("the data dir " + dir + " is a file, not a directory; choose another --data-dir");
        }
        Path probe = dir.resolve(".write-probe-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            throw fail("the data dir " + dir + " is not writable by this user (" + describe(e) + "); fix its"
                    + " permissions or choose another --data-dir");
        }
        return dir;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
