package org.savesync.agent.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent: its data dir, its folder, its QUIC (UDP) and API ports and its log, all fixed for
 * the life of a test so it can be stopped, killed and started again as the same node. Started
 * through {@link E2EEnvironment}, which stops whatever is left after the test.
 */
final class AgentProcess {
    /** How long an agent may take to answer its API after it was started. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** How long a SIGTERM may take to end it. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final E2EEnvironment env;
    private final String name;
    private final Path dataDir;
    private final Path folder;
    private final int udpPort;
    private final int apiPort;
    private final Path log;
    private final List<String> runOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private int openFiles;
    private Process process;
    private AgentApi api;

    AgentProcess(E2EEnvironment env, String name, Path dataDir, Path folder, int udpPort, int apiPort, Path log) {
        this.env = env;
        this.name = name;
        this.dataDir = dataDir;
        this.folder = folder;
        this.udpPort = udpPort;
        this.apiPort = apiPort;
        this.log = log;
    }

    String name() {
        return name;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The folder this agent syncs in the tests (created by the test or by the agent). */
    Path folder() {
        return folder;
    }

    Path log() {
        return log;
    }

    /** The QUIC address this agent listens on, {@code 127.0.0.1:UDP}. */
    String quicAddress() {
        return "127.0.0.1:" + udpPort;
    }

    /**
     * From the next start on, runs with {@code --hub ADDRESS} and, unless {@code enrollToken} is
     * null, {@code --enroll-token TOKEN} (replacing any hub options given before).
     */
    AgentProcess withHub(String address, String enrollToken) {
        runOptions.clear();
        runOptions.addAll(List.of("--hub", address));
        if (enrollToken != null) {
            runOptions.addAll(List.of("--enroll-token", enrollToken));
        }
        return this;
    }

    /** From the next start on, runs with this environment variable (e.g. {@code SAVESYNC_ANTI_ENTROPY_INTERVAL}). */
    AgentProcess withEnv(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** From the next start on, runs with at most {@code n} open file descriptors ({@code ulimit -n}). */
    AgentProcess withOpenFileLimit(int n) {
        openFiles = n;
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Starts {@code savesync --data-dir DIR run --listen 127.0.0.1:UDP --api-port API} (plus the
     * hub options of {@link #withHub}) and waits until its API answers with the token from the
     * data dir (output appended to the log).
     */
    AgentProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        appendToLog("---- e2e: starting " + name + "\n");
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "run", "--listen",
                "127.0.0.1:" + udpPort, "--api-port", Integer.toString(apiPort), "--node-name", name));
        args.addAll(runOptions);
        process = env.launch(E2EEnvironment.agentApp(), log, args, environment, openFiles);
        Process p = process;
        await("agent " + name + " answers on its API port " + apiPort).atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptionsMatching(e -> e instanceof UncheckedIOException)
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("agent " + name + " exited with " + p.exitValue()
                                + " before it was ready; log " + log + ":\n" + env.tail(log, 40));
                    }
                    return ready();
                });
        return this;
    }

    private boolean ready() throws IOException {
        Path apiFile = dataDir.resolve("api.json");
        Path tokenFile = dataDir.resolve("api-token");
        if (!Files.exists(apiFile) || !Files.exists(tokenFile)) {
            return false;
        }
        JsonNode info = AgentApi.JSON.readTree(apiFile.toFile());
        if (info.path("pid").asLong() != process.pid() || info.path("port").asInt() != apiPort) {
            return false; // a previous run's file
        }
        String token = Files.readString(tokenFile).strip();
        AgentApi candidate = new AgentApi(apiPort, token);
        candidate.status();
        api = candidate;
        return true;
    }

    /** The API client of the running agent. */
    AgentApi api() {
        if (api == null || !isAlive()) {
            throw new IllegalStateException("agent " + name + " is not running");
        }
        return api;
    }

    /** {@code kill -9}: no shutdown hook, no goodbye to peers. */
    void kill9() {
        appendToLog("---- e2e: kill -9 " + name + "\n");
        process.destroyForcibly();
        waitForExit(STOP_TIMEOUT);
    }

    /** SIGTERM, as Ctrl-C or a service manager would, and wait for the clean shutdown. */
    void stop() {
        process.destroy();
        waitForExit(STOP_TIMEOUT);
        appendToLog("---- e2e: " + name + " stopped with SIGTERM, exit " + process.exitValue() + "\n");
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("agent " + name + " (pid " + process.pid() + ") did not exit within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The TCP port of this agent's local API on 127.0.0.1. */
    int apiPort() {
        return apiPort;
    }

    /** Runs {@code savesync --data-dir DIR ARGS...} with these extra environment variables. */
    CliResult cliWithEnv(Map<String, String> environment, String... args) {
        List<String> a = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        a.addAll(List.of(args));
        return env.cli(a, environment);
    }

    /** Runs {@code savesync --data-dir DIR ARGS...} against this agent's data dir. */
    CliResult cli(String... args) {
        List<String> a = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        a.addAll(List.of(args));
        return env.cli(a);
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "agent " + name + " (udp " + udpPort + ", api " + apiPort + ", data " + dataDir + ")";
    }
}
