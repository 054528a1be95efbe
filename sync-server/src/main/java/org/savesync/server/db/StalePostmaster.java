package org.savesync.server.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;

/**
 * A PostgreSQL left running on the embedded data directory by a hub that did not stop
 * cleanly. After a {@code kill -9} of the hub the postmaster (started through {@code pg_ctl},
 * so not a child of the JVM) keeps running and keeps the data directory locked; the next
 * start must stop it first.
 *
 * <p>What {@code postmaster.pid}'s first line (the postmaster's PID) leads to:
 * <ul>
 *   <li>no such process (or a zombie): the file is stale; PostgreSQL itself handles that;</li>
 *   <li>a {@code postgres} whose {@code -D} (or working directory) is this data directory:
 *       it is ours; SIGINT (fast shutdown: abort transactions, checkpoint, exit), wait up to
 *       {@link #FAST_SHUTDOWN_WAIT}, then SIGKILL and wait up to {@link #KILL_WAIT};</li>
 *   <li>any other process (the PID was reused, e.g. after a reboot): the file is stale and
 *       removed, since PostgreSQL would refuse to start while that PID lives;</li>
 *   <li>a process we cannot inspect: nothing is touched and the error says what to check.</li>
 * </ul>
 * Then backends of a killed postmaster still attached to its shared memory (their working
 * directory is the data directory) are killed, or PostgreSQL would refuse to start.
 * Linux only ({@code /proc}), like the embedded binaries.
 */
final class StalePostmaster {
    private static final Logger LOG = Logger.getLogger(StalePostmaster.class);
    static final String PID_FILE = "postmaster.pid";
    static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(60);
    static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Path PROC = Path.of("/proc");

    private StalePostmaster() {
    }

    /** Stops whatever PostgreSQL processes an earlier run left on {@code pgData}. */
    static void stopLeftovers(Path pgData) {
        Path pidFile = pgData.resolve(PID_FILE);
        Optional<Long> pid = postmasterPid(pidFile);
        if (pid.isPresent() && running(pid.get())) {
            long p = pid.get();
            switch (classify(p, pgData)) {
                case OURS -> {
                    LOG.warnf("a PostgreSQL (pid %d) from an earlier run that did not stop cleanly still holds %s;"
                            + " stopping it", p, pgData);
                    stop(p, pgData);
                }
                case OTHER -> {
                    LOG.infof("%s names pid %d, which is no PostgreSQL of this data directory now; removing the stale"
                            + " file", pidFile, p);
                    delete(pidFile);
                }
                case UNKNOWN -> throw new HubDatabaseException(pidFile + " names pid " + p + ", a running process this user"
                        + " cannot inspect; if it is not a PostgreSQL using " + pgData + ", delete " + pidFile
                        + " and start again; otherwise stop it first");
            }
        }
        killOrphanedBackends(pgData);
    }

    /** Waits until the postmaster named in {@code postmaster.pid} has exited (after a shutdown was asked for). */
    static boolean awaitStopped(Path pgData, Duration wait) {
        Optional<Long> pid = postmasterPid(pgData.resolve(PID_FILE));
        return pid.isEmpty() || awaitExit(pid.get(), wait);
    }

    private static void stop(long pid, Path pgData) {
        signal(pid, "INT");
        if (awaitExit(pid, FAST_SHUTDOWN_WAIT)) {
            return;
        }
        LOG.warnf("PostgreSQL (pid %d) did not finish a fast shutdown within %d s; killing it", pid,
                FAST_SHUTDOWN_WAIT.toSeconds());
        signal(pid, "KILL");
        if (!awaitExit(pid, KILL_WAIT)) {
            throw new HubDatabaseException("the PostgreSQL left running on " + pgData + " (pid " + pid
                    + ") does not stop even with SIGKILL; stop it by hand and start the hub again");
        }
    }

    private static void killOrphanedBackends(Path pgData) {
        List<Long> leftovers = processesIn(pgData);
        if (leftovers.isEmpty()) {
            return;
        }
        LOG.warnf("killing %d PostgreSQL processes of a postmaster that is gone: %s", leftovers.size(),
                leftovers.stream().map(p -> p + " " + cmdline(p).map(a -> String.join(" ", a)).orElse("?")).toList());
        for (long p : leftovers) {
            signal(p, "KILL");
        }
        for (long p : leftovers) {
            if (!awaitExit(p, KILL_WAIT)) {
                throw new HubDatabaseException("the PostgreSQL process " + p + " left on " + pgData
                        + " does not stop even with SIGKILL; stop it by hand and start the hub again");
            }
        }
    }

    enum Kind { OURS, OTHER, UNKNOWN }

    /** Whether {@code pid} is a PostgreSQL process of {@code pgData}. */
    static Kind classify(long pid, Path pgData) {
        List<String> args = cmdline(pid).orElse(null);
        if (args == null || args.isEmpty()) {
            return running(pid) ? Kind.UNKNOWN : Kind.OTHER;
        }
        if (!isPostgres(args.get(0))) {
            return Kind.OTHER;
        }
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("-D") && samePath(Path.of(args.get(i + 1)), pgData)) {
                return Kind.OURS;
            }
        }
        return cwd(pid).map(c -> samePath(c, pgData)).orElse(false) ? Kind.OURS : Kind.OTHER;
    }

    /** Processes named postgres* whose working directory is {@code pgData} (PostgreSQL chdirs there). */
    private static List<Long> processesIn(Path pgData) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(PROC)) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(StalePostmaster::running)
                    .filter(p -> p != ProcessHandle.current().pid())
                    .filter(p -> cmdline(p).filter(a -> !a.isEmpty() && isPostgres(a.get(0))).isPresent())
                    .filter(p -> cwd(p).map(c -> samePath(c, pgData)).orElse(false))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new HubDatabaseException("cannot list processes in " + PROC + " to find a PostgreSQL left running on "
                    + pgData + ": " + Failure.describe(e), e);
        }
        return out;
    }

    private static boolean isPostgres(String argv0) {
        String name = argv0.substring(argv0.lastIndexOf('/') + 1);
        return name.startsWith("postgres");
    }

    static Optional<Long> postmasterPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            // A negative PID marks a single-user backend; it locks the directory the same way.
            return Optional.of(Math.abs(Long.parseLong(lines.get(0).strip())));
        } catch (IOException | NumberFormatException e) {
            throw new HubDatabaseException("cannot read " + pidFile + " (" + Failure.describe(e) + "); if no PostgreSQL runs"
                    + " on " + pidFile.getParent() + ", delete it and start again", e);
        }
    }

    /** Alive and not a zombie: a dead child of a parent that does not reap it is gone for our purposes. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean awaitExit(long pid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (running(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(pid);
            }
        }
        return true;
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor();
        } catch (IOException e) {
            // No kill(1): SIGTERM (a "smart" shutdown, fine once the dead hub's connections are gone) or SIGKILL.
            ProcessHandle.of(pid).ifPresent(h -> {
                if (signal.equals("KILL")) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<List<String>> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            if (args.size() == 1 && args.get(0).contains(" ")) {
                // A backend rewrites its title into argv[0] ("postgres: user db ..."): keep the first word.
                args.set(0, args.get(0).split(" ", 2)[0].replaceAll(":$", ""));
            }
            return Optional.of(args);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> cwd(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("cwd")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new HubDatabaseException("cannot delete the stale " + f + ": " + Failure.describe(e)
                    + "; delete it by hand and start again", e);
        }
    }
}
