package org.savesync.agent.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.savesync.agent.service.DataDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code savesync run}: the agent itself, in the foreground, until Ctrl-C (or SIGTERM). */
@Command(name = "run", description = "Run the agent in the foreground (Ctrl-C stops it).")
public final class RunCommand implements Runnable {
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

    @Override
    public void run() {
        DataDir dir = top.dataDir().create();
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
        System.setProperty("savesync.data-dir", dir.path().toString());
        if (listen != null) {
            System.setProperty("savesync.listen", listen);
        }
        if (nodeName != null) {
            System.setProperty("savesync.node-name", nodeName);
        }
        if (noWatch) {
            System.setProperty("savesync.watch", "false");
        }
        System.setProperty("quarkus.http.port", Integer.toString(apiPort != null && apiPort > 0 ? apiPort : freePort()));
        Quarkus.run(Agent.class, new String[0]);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot find a free port for the local API: " + e.getMessage()
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
