package org.savesync.agent.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hub (the packaged sync server): its data dir, its QUIC (UDP) and HTTP ports and its log,
 * fixed for the life of a test so it can be killed and started again on the same data dir.
 * Started through {@link E2EEnvironment}, which stops whatever is left after the test and
 * checks that no embedded PostgreSQL of the hub outlives it.
 */
final class HubProcess {
    /** First start (PostgreSQL's initdb) or crash recovery on a busy 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    /** A SIGTERM stops the engine, then the embedded PostgreSQL (its shutdown checkpoint). */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The line the hub prints once it accepts peers. */
    private static final Pattern HUB_LINE = Pattern.compile("(?m)^hub: (\\S+:\\d+#[a-z2-7]+)\\s*$");

    private final E2EEnvironment env;
    private final String name;
    private final Path dataDir;
    private final int udpPort;
    private final int httpPort;
    private final int managementPort;
    private final Path log;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;
    private String address;

    HubProcess(E2EEnvironment env, String name, Path dataDir, int udpPort, int httpPort, int managementPort, Path log) {
        this.env = env;
        this.name = name;
        this.dataDir = dataDir;
        this.udpPort = udpPort;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    String name() {
        return name;
    }

    Path dataDir() {
        return dataDir;
    }

    Path log() {
        return log;
    }

    /** From the next start on, runs with this environment variable (e.g. {@code SAVESYNC_ANTI_ENTROPY_INTERVAL}). */
    HubProcess withEnv(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts {@code savesync-server --data-dir DIR --listen 127.0.0.1:UDP --http-port HTTP
     * --management-port MANAGEMENT} and waits for its {@code hub: HOST:PORT#NODE_ID} line (printed
     * in this run, not an earlier one) and for {@code /q/health/ready} on the management port.
     */
    HubProcess start() {
        if (isAlive()) {
            throw new IllegalStateException("hub " + name + " is already running");
        }
        appendToLog("---- e2e: starting hub " + name + "\n");
        long from = logSize();
        process = env.launch(E2EEnvironment.serverApp(), log, List.of("--data-dir", dataDir.toString(), "--listen",
                "127.0.0.1:" + udpPort, "--http-port", Integer.toString(httpPort), "--management-port",
                Integer.toString(managementPort)), environment);
        Process p = process;
        await("hub " + name + " prints its address and is ready on HTTP port " + httpPort).atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptionsMatching(e -> e instanceof UncheckedIOException)
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("hub " + name + " exited with " + p.exitValue() + " before it was"
                                + " ready; log " + log + ":\n" + env.tail(log, 60));
                    }
                    Matcher m = HUB_LINE.matcher(logSince(from));
                    if (!m.find()) {
                        return false;
                    }
                    address = m.group(1);
                    return api().ready();
                });
        return this;
    }

    /** What the hub printed, {@code HOST:PORT#NODE_ID}: the value of an agent's {@code --hub}. */
    String address() {
        if (address == null) {
            throw new IllegalStateException("hub " + name + " has not printed its address yet");
        }
        return address;
    }

    /** The hub's node id (the part of {@link #address()} after {@code #}). */
    String nodeId() {
        return address().substring(address().indexOf('#') + 1);
    }

    /** The token agents enroll with, as the hub wrote it to {@code DIR/enrollment-token}. */
    String enrollmentToken() {
        try {
            return Files.readString(dataDir.resolve("enrollment-token"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("hub " + name + " has no readable enrollment token", e);
        }
    }

    /**
     * Runs the hub's admin command line, {@code savesync-server admin ARGS --hub 127.0.0.1:HTTP
     * --token-file DATA_DIR/admin-token} (gRPC with the hub's local admin token), and waits for it.
     */
    CliResult admin(String... args) {
        List<String> a = new ArrayList<>(List.of("admin"));
        a.addAll(List.of(args));
        a.addAll(List.of("--hub", "127.0.0.1:" + httpPort, "--token-file", dataDir.resolve("admin-token").toString()));
        return env.run(E2EEnvironment.serverApp(), a, Map.of());
    }

    /** The admin API on the hub's HTTP port, health and metrics on its management port. */
    HubApi api() {
        return new HubApi(httpPort, managementPort, dataDir.resolve("admin-token"));
    }

    /** {@code kill -9}: no shutdown hook, its embedded PostgreSQL left running as an orphan. */
    void kill9() {
        appendToLog("---- e2e: kill -9 hub " + name + "\n");
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM, as a service manager would, and wait for the clean shutdown. */
    void stop() {
        process.destroy();
        waitForExit();
        appendToLog("---- e2e: hub " + name + " stopped with SIGTERM, exit " + process.exitValue() + "\n");
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("hub " + name + " (pid " + process.pid() + ") did not exit within " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Live processes whose command line names this hub's {@code DIR/postgres} (its PostgreSQL). */
    List<ProcessHandle> postgresProcesses() {
        String pg = dataDir.toAbsolutePath().resolve("postgres").toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(pg)).orElse(false)).toList();
    }

    /** The PostgreSQL processes still alive after waiting up to {@code grace} for them to end. */
    List<ProcessHandle> postgresOutliving(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> left = postgresProcesses();
        for (ProcessHandle h : left) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // still alive: reported below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return left.stream().filter(ProcessHandle::isAlive).toList();
    }

    private long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "hub " + name + " (udp " + udpPort + ", http " + httpPort + ", management " + managementPort + ", data "
                + dataDir + ")";
    }
}
