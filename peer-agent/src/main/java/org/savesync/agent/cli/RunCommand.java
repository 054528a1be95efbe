package org.savesync.agent.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.savesync.agent.config.HubSettings;
import org.savesync.agent.config.InvalidSettingException;
import org.savesync.agent.service.DataDir;
import org.savesync.core.failure.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code savesync run}: the agent itself, in the foreground, until Ctrl-C (or SIGTERM). */
@Command(name = "run", description = "Run the agent in the foreground (Ctrl-C stops it).")
public final class RunCommand implements Runnable {
    /** {@code savesync.listen}'s default, as {@code AgentConfig} has it. */
    static final String DEFAULT_LISTEN = "0.0.0.0:22100";

    @ParentCommand
    SavesyncCommand top;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "UDP address for QUIC (default 0.0.0.0:22100)")
    String listen;

    @Option(names = "--api-port", paramLabel = "PORT", description = "port of the local API on 127.0.0.1 (default: a"
            + " free port, written to DIR/api.json)")
    Integer apiPort;

    @Option(names = "--node-name", paramLabel = "NAME", description = "the name other members see (default: host name)")
    String nodeName;

    @Option(names = "--no-watch", description = "do not watch folders; find changes by periodic rescans only")
    boolean noWatch;

    @Option(names = "--hub", paramLabel = "HOST:PORT#NODE_ID", description = "the sync server to register this node's"
            + " groups with, as it prints it at start (default: none)")
    String hub;

    @Option(names = "--enroll-token", paramLabel = "TOKEN", description = "the hub's enrollment token (in the hub's"
            + " DIR/enrollment-token), needed until the hub has enrolled this node; SAVESYNC_ENROLL_TOKEN keeps it out"
            + " of the process list")
    String enrollToken;

    @Override
    public void run() {
        Map<String, String> properties = properties(); // checks the options before anything starts
        DataDir dir = StartupChecks.dataDir(top.dataDir());
        try {
            Optional<DataDir.ApiInfo> running = dir.readApiInfo();
            if (running.isPresent() && ProcessHandle.of(running.get().pid()).map(ProcessHandle::isAlive).orElse(false)
                    && running.get().pid() != ProcessHandle.current().pid()) {
                throw new CliException(CliException.FAILED, "an agent is already running for " + dir.path() + " (pid "
                        + running.get().pid() + ", API port " + running.get().port() + ")");
            }
        } catch (IOException e) {
            // unreadable leftover: the new agent overwrites it
        }
        String listenValue = listen != null ? listen : System.getenv("SAVESYNC_LISTEN");
        StartupChecks.udpListen(listenValue != null ? listenValue : DEFAULT_LISTEN,
                listen != null ? "--listen" : listenValue != null ? "SAVESYNC_LISTEN" : "the default listen address");
        if (apiPort != null && apiPort != 0) {
            StartupChecks.apiPort(apiPort);
        }
        System.setProperty("savesync.data-dir", dir.path().toString());
        properties.forEach(System::setProperty);
        System.setProperty("quarkus.http.port", Integer.toString(apiPort != null && apiPort > 0 ? apiPort : freePort()));
        AtomicInteger exit = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // With an exit handler Quarkus reports a failed start to it instead of logging a stack trace.
        Quarkus.run(Agent.class, (code, failure) -> {
            exit.set(code);
            failed.set(failure);
        }, new String[0]);
        if (failed.get() != null) {
            throw new CliException(exit.get() != 0 ? exit.get() : CliException.FAILED,
                    StartupFault.describe(failed.get()));
        }
        if (exit.get() != 0) {
            throw new CliException(exit.get(), "the agent stopped with exit code " + exit.get());
        }
    }

    /**
     * The agent's settings from the options, as the system properties {@code AgentConfig} reads
     * (the data dir and API port aside).
     *
     * @throws CliException when {@code --hub} is not {@code HOST:PORT#NODE_ID}, or
     *                      {@code --enroll-token} comes without a hub
     */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (listen != null) {
            p.put("savesync.listen", listen);
        }
        if (nodeName != null) {
            p.put("savesync.node-name", nodeName);
        }
        if (noWatch) {
            p.put("savesync.watch", "false");
        }
        // Checked here too when they come from the environment: a clear message instead of a failed start.
        String hubValue = hub != null ? hub : System.getenv("SAVESYNC_HUB");
        String tokenValue = enrollToken != null ? enrollToken : System.getenv("SAVESYNC_ENROLL_TOKEN");
        if (hubValue != null || tokenValue != null) {
            try {
                HubSettings.parse(Optional.ofNullable(hubValue), Optional.ofNullable(tokenValue));
            } catch (InvalidSettingException e) {
                String source = e.key().equals("savesync.hub") ? (hub != null ? "--hub" : "SAVESYNC_HUB")
                        : (enrollToken != null ? "--enroll-token" : "SAVESYNC_ENROLL_TOKEN");
                throw new CliException(CliException.FAILED, source + ": " + e.problem());
            }
        }
        if (hub != null) {
            p.put("savesync.hub", hub.strip());
        }
        if (enrollToken != null) {
            p.put("savesync.enroll-token", enrollToken.strip());
        }
        return p;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot find a free port for the local API: " + Failure.describe(e)
                    + "; pass --api-port PORT");
        }
    }

    /** The Quarkus application: everything runs in the beans; this waits for the end. */
    public static final class Agent implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
