package org.savesync.agent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.savesync.core.testsupport.Workloads;

/**
 * The process harness of the end-to-end tests (a JUnit extension). Each test gets
 * {@code target/e2e/<test>/}: its agents' data dirs, folders and logs, and the output of every
 * CLI command it ran ({@code cli/NNN.out|err}). After each test it stops every process it
 * started (SIGTERM, then kill -9), fails the test if any is still alive, and when the test
 * failed prints the end of each agent's and hub's log. A passing test's folders and data dirs
 * are deleted (its logs stay).
 *
 * <p>Processes are {@code savesync.java -jar savesync.agent.app}, the packaged agent, and
 * {@code savesync.java -jar savesync.server.app}, the packaged hub, as the failsafe plugin passes
 * them. A hub runs an embedded PostgreSQL that is not a child the JVM can see once the hub is
 * gone: after stopping the hubs, any process whose command line still names a hub's
 * {@code DIR/postgres} is an orphan, reported (the test fails) and killed by its pid.
 */
final class E2EEnvironment implements BeforeEachCallback, AfterEachCallback {
    /** Lines of each agent log printed when a test fails. */
    static final int LOG_TAIL_LINES = 60;
    /** The longest a CLI command may run (a join may wait 60 s for the authority). */
    static final Duration CLI_TIMEOUT = Duration.ofMinutes(3);
    /** As bin/jvm-flags: the Unsafe flag only on JDK 23+ (21 and 22 refuse it); the processes run on this JDK. */
    private static final List<String> JVM_FLAGS = Runtime.version().feature() >= 23
            ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
            : List.of("--enable-native-access=ALL-UNNAMED");
    /** A CLI command is a short-lived client: start it as cheaply as possible. */
    private static final List<String> CLI_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    /** Settings a developer's shell may hold that would change what the processes under test do. */
    private static final List<String> INHERITED_SETTINGS = List.of("SAVESYNC_DATA_DIR", "SAVESYNC_HUB",
            "SAVESYNC_ENROLL_TOKEN", "SAVESYNC_ANTI_ENTROPY_INTERVAL", "SAVESYNC_QUIC_IDLE_TIMEOUT",
            "SAVESYNC_QUIC_KEEP_ALIVE_INTERVAL", "SYNC_DB_URL", "SYNC_DB_USER", "SYNC_DB_PASSWORD");
    /** How long an embedded PostgreSQL may take to vanish after its hub exited. */
    static final Duration POSTGRES_EXIT_TIMEOUT = Duration.ofSeconds(15);

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<HubProcess> hubs = new ArrayList<>();
    private final Set<Integer> portsHandedOut = new HashSet<>();
    private Path testDir;
    private int cliCount;

    static Path agentApp() {
        String app = System.getProperty("savesync.agent.app");
        if (app == null || !Files.isRegularFile(Path.of(app))) {
            throw new IllegalStateException("system property savesync.agent.app must name the packaged agent"
                    + " (peer-agent/target/quarkus-app/quarkus-run.jar), got " + app + "; run the ITs through"
                    + " `./mvnw -pl peer-agent verify`");
        }
        return Path.of(app);
    }

    /** The packaged hub; only the tests that start one ask for it. */
    static Path serverApp() {
        String app = System.getProperty("savesync.server.app");
        if (app == null || !Files.isRegularFile(Path.of(app))) {
            throw new IllegalStateException("system property savesync.server.app must name the packaged hub"
                    + " (sync-server/target/quarkus-app/quarkus-run.jar), got " + app + (app == null ? ""
                    : ", which does not exist") + "; build it in the same reactor as the agent's ITs: `./mvnw -pl"
                    + " sync-server,peer-agent -am verify` (sync-server comes before peer-agent in the root pom)");
        }
        return Path.of(app);
    }

    static String javaBinary() {
        String java = System.getProperty("savesync.java");
        return java != null && !java.isBlank() ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String name = context.getRequiredTestMethod().getName();
        testDir = Workloads.moduleDir().resolve("target").resolve("e2e").resolve(name);
        Workloads.deleteTree(testDir);
        try {
            Files.createDirectories(testDir.resolve("cli"));
            Files.createDirectories(testDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        agentApp();
    }

    Path testDir() {
        return testDir;
    }

    /** Every process this test starts keeps its temporary files in the test's own directory, not in /tmp. */
    private String tmpDirFlag() {
        return "-Djava.io.tmpdir=" + testDir.resolve("tmp");
    }

    /** A new agent (not started) with its own data dir, folder path, free UDP and API ports and log. */
    AgentProcess agent(String name) {
        AgentProcess a = new AgentProcess(this, name, testDir.resolve(name + "-data"), testDir.resolve(name + "-folder"),
                freeUdpPort(), freeTcpPort(), testDir.resolve(name + ".log"));
        agents.add(a);
        return a;
    }

    /** A new hub (not started) with its own data dir, free UDP, HTTP and management ports and log. */
    HubProcess hub(String name) {
        serverApp();
        HubProcess h = new HubProcess(this, name, testDir.resolve(name + "-data"), freeUdpPort(), freeTcpPort(),
                freeTcpPort(), testDir.resolve(name + ".log"));
        hubs.add(h);
        return h;
    }

    /** Starts an agent, {@code java -jar app ARGS} (JVM defaults, as bin/savesync runs it), appending to {@code log}. */
    Process launch(Path log, List<String> args) {
        return launch(agentApp(), log, args, Map.of());
    }

    /** Starts {@code java -jar app ARGS} with these extra environment variables, appending to {@code log}. */
    Process launch(Path app, Path log, List<String> args, Map<String, String> environment) {
        return launch(app, log, args, environment, 0);
    }

    /**
     * As {@link #launch(Path, Path, List, Map)}, with at most {@code openFiles} descriptors when it
     * is above 0: {@code bash -c 'ulimit -n N; exec java ...'}, so the process's pid is the JVM's.
     */
    Process launch(Path app, Path log, List<String> args, Map<String, String> environment, int openFiles) {
        List<String> cmd = new ArrayList<>();
        if (openFiles > 0) {
            cmd.addAll(List.of("bash", "-c", "ulimit -n " + openFiles + " && exec \"$0\" \"$@\""));
        }
        cmd.add(javaBinary());
        cmd.addAll(JVM_FLAGS);
        cmd.add(tmpDirFlag());
        cmd.add("-jar");
        cmd.add(app.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return start(pb, environment);
    }

    /** Starts a process without the caller's SaveSync settings, with {@code environment} added. */
    private Process start(ProcessBuilder pb, Map<String, String> environment) {
        for (String inherited : INHERITED_SETTINGS) {
            pb.environment().remove(inherited);
        }
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + pb.command(), e);
        }
    }

    /** Runs the CLI with these arguments and waits for it; stdout and stderr are kept apart. */
    CliResult cli(List<String> args) {
        return cli(args, Map.of());
    }

    /** Runs the CLI with these arguments and extra environment variables and waits for it. */
    CliResult cli(List<String> args, Map<String, String> environment) {
        return run(agentApp(), args, environment);
    }

    /** Runs {@code java -jar app ARGS} (a command line of the agent or the hub) and waits for it. */
    CliResult run(Path app, List<String> args, Map<String, String> environment) {
        int n = ++cliCount;
        Path out = testDir.resolve("cli").resolve(String.format("%03d.out", n));
        Path err = testDir.resolve("cli").resolve(String.format("%03d.err", n));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(CLI_JVM_FLAGS);
        cmd.add(tmpDirFlag());
        cmd.add("-jar");
        cmd.add(app.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = start(pb, environment);
        try {
            if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("`savesync " + String.join(" ", args) + "` did not finish within " + CLI_TIMEOUT);
            }
            List<String> shown = args.size() > 2 && args.get(0).equals("--data-dir") ? args.subList(2, args.size()) : args;
            return new CliResult(List.copyOf(shown), p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean failed = context.getExecutionException().isPresent();
        List<String> leftAlive = new ArrayList<>();
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(HubProcess.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(AgentProcess.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p.isAlive()) {
                leftAlive.add("pid " + p.pid() + " " + p.info().commandLine().orElse("?"));
            }
        }
        List<String> apps = new ArrayList<>(List.of(agentApp().toString()));
        if (!hubs.isEmpty()) {
            apps.add(serverApp().toString());
        }
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> apps.stream().anyMatch(c::contains)).orElse(false))
                .forEach(h -> leftAlive.add("pid " + h.pid() + " (not started by the harness) "
                        + h.info().commandLine().orElse("?")));
        for (HubProcess h : hubs) {
            for (ProcessHandle orphan : h.postgresOutliving(POSTGRES_EXIT_TIMEOUT)) {
                leftAlive.add("pid " + orphan.pid() + " (an embedded PostgreSQL of hub " + h.name() + " outliving it) "
                        + orphan.info().commandLine().orElse("?"));
                stopOrphan(orphan); // ours: started by a hub this test started
            }
        }
        if (failed || !leftAlive.isEmpty()) {
            for (AgentProcess a : agents) {
                System.out.println("==== last lines of " + a.log() + "\n" + tail(a.log(), LOG_TAIL_LINES));
            }
            for (HubProcess h : hubs) {
                System.out.println("==== last lines of " + h.log() + "\n" + tail(h.log(), LOG_TAIL_LINES));
            }
        } else {
            for (AgentProcess a : agents) {
                Workloads.deleteTree(a.folder());
                Workloads.deleteTree(a.dataDir());
            }
            for (HubProcess h : hubs) {
                Workloads.deleteTree(h.dataDir());
            }
        }
        processes.clear();
        agents.clear();
        hubs.clear();
        if (!leftAlive.isEmpty()) {
            throw new AssertionError("processes still alive after the test: " + leftAlive);
        }
    }

    /** SIGTERM (PostgreSQL shuts down cleanly), then kill -9 if it is still there after the grace time. */
    private static void stopOrphan(ProcessHandle orphan) {
        orphan.destroy();
        try {
            orphan.onExit().get(POSTGRES_EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            orphan.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            orphan.destroyForcibly();
        }
    }

    /** The last {@code lines} lines of a log (or a note that it does not exist). */
    String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private int freeUdpPort() {
        for (int i = 0; i < 100; i++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                if (portsHandedOut.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP port");
    }

    private int freeTcpPort() {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (portsHandedOut.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free TCP port");
    }
}
