package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.savesync.agent.service.DataDir;
import org.savesync.core.identity.NodeKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code savesync [--data-dir DIR] COMMAND}: the top of the command tree. */
@Command(name = "savesync", mixinStandardHelpOptions = true, version = "savesync 0.1.0",
        description = "Keeps folders in sync between your machines, peer to peer.",
        subcommands = {RunCommand.class, SavesyncCommand.Id.class, StatusCommand.class, GroupCommand.class,
                GroupCommand.ListGroupsTop.class, JoinCommand.class, SavesyncCommand.Peers.class,
                SavesyncCommand.Scan.class, SavesyncCommand.Stop.class})
public final class SavesyncCommand implements Runnable {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the agent's data directory (default: "
            + "$SAVESYNC_DATA_DIR, else ~/.savesync)")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    DataDir dataDir() {
        return dataDir(dataDir);
    }

    /** The data dir {@code --data-dir} names ({@code given}, may be null), else the default. */
    static DataDir dataDir(Path given) {
        Path p = given;
        if (p == null) {
            String env = System.getenv("SAVESYNC_DATA_DIR");
            p = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".savesync");
        }
        return new DataDir(p);
    }

    ApiClient client() {
        return new ApiClient(dataDir());
    }

    /** {@code savesync id}: this node's id (and, when the agent runs, its addresses). */
    @Command(name = "id", description = "Print this node's id and the addresses it listens on.")
    static final class Id implements Runnable {
        @picocli.CommandLine.ParentCommand
        SavesyncCommand top;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        @Override
        public void run() {
            DataDir dir = top.dataDir();
            JsonNode status = null;
            try {
                status = top.client().get("/status");
            } catch (CliException e) {
                if (e.exitCode() != CliException.NOT_RUNNING) {
                    throw e;
                }
            }
            if (out.json) {
                var id = ApiClient.JSON.createObjectNode();
                id.put("nodeId", status != null ? status.path("nodeId").asText() : nodeIdOffline(dir));
                id.set("addresses", status != null ? status.path("addresses") : ApiClient.JSON.createArrayNode());
                id.put("running", status != null);
                JsonOutput.print(id);
                return;
            }
            if (status == null) {
                System.out.println("(the agent is not running: no addresses)");
                System.out.println(nodeIdOffline(dir));
                return;
            }
            for (JsonNode a : status.path("addresses")) {
                System.out.println("address " + a.asText());
            }
            System.out.println(status.path("nodeId").asText());
        }

        private static String nodeIdOffline(DataDir dir) {
            Optional<Path> key = Optional.of(dir.path().resolve(NodeKey.FILE_NAME)).filter(java.nio.file.Files::exists);
            if (key.isEmpty()) {
                throw new CliException(CliException.NOT_RUNNING, "no node key in " + dir.path() + " yet; start the agent"
                        + " once with `savesync --data-dir " + dir.path() + " run`");
            }
            return NodeKey.loadOrCreate(dir.path()).nodeId().toString();
        }
    }

    /** {@code savesync peers}: who is connected. */
    @Command(name = "peers", description = "List the members connected right now.")
    static final class Peers implements Runnable {
        @picocli.CommandLine.ParentCommand
        SavesyncCommand top;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        @Override
        public void run() {
            JsonNode peers = top.client().get("/peers");
            if (out.printed(peers)) {
                return;
            }
            if (peers.isEmpty()) {
                System.out.println("no peers connected");
            }
            for (JsonNode p : peers) {
                System.out.println(peerLine(p));
            }
        }
    }

    /** {@code NAME (hub)  NODE_ID  DIRECTION  ADDRESSES  in N group(s)}: who, first; the hub marked. */
    static String peerLine(JsonNode p) {
        String name = p.path("name").isTextual() ? p.path("name").asText() : "(no name: in no group of this node)";
        StringBuilder addresses = new StringBuilder();
        for (JsonNode a : p.path("addresses")) {
            addresses.append(addresses.isEmpty() ? "" : ", ").append(a.asText());
        }
        int groups = p.path("groups").size();
        return name + (p.path("hub").asBoolean() ? " (hub)" : "") + "  " + p.path("nodeId").asText() + "  "
                + p.path("direction").asText() + "  " + (addresses.isEmpty() ? "no listen address" : addresses)
                + "  in " + groups + " group" + (groups == 1 ? "" : "s");
    }

    /** {@code savesync scan [GROUP_ID]}: look for changes now instead of waiting for the watcher. */
    @Command(name = "scan", description = "Scan a group's folder (or every group's) for changes now.")
    static final class Scan implements Runnable {
        @picocli.CommandLine.ParentCommand
        SavesyncCommand top;

        @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "GROUP_ID")
        String group;

        @Override
        public void run() {
            ApiClient c = top.client();
            if (group != null) {
                c.post("/groups/" + group + "/scan", java.util.Map.of(), java.time.Duration.ofMinutes(10));
            } else {
                for (JsonNode g : c.get("/groups")) {
                    c.post("/groups/" + g.path("id").asText() + "/scan", java.util.Map.of(), java.time.Duration.ofMinutes(10));
                }
            }
            System.out.println("scanned");
        }
    }

    /** {@code savesync stop}: asks the running agent to stop, and waits until it has. */
    @Command(name = "stop", description = "Stop the agent running for this data dir.")
    static final class Stop implements Runnable {
        @picocli.CommandLine.ParentCommand
        SavesyncCommand top;

        @Override
        public void run() {
            DataDir dir = top.dataDir();
            long pid;
            try {
                pid = dir.readApiInfo().map(DataDir.ApiInfo::pid).orElse(-1L);
            } catch (java.io.IOException e) {
                pid = -1;
            }
            ApiClient client = top.client();
            var handle = ProcessHandle.of(pid);
            try {
                client.post("/shutdown", java.util.Map.of(), java.time.Duration.ofSeconds(10));
            } catch (CliException e) {
                if (handle.isEmpty() || e.exitCode() == CliException.NOT_RUNNING) {
                    throw e;
                }
                // the agent may close the connection as it stops; its exit below is the answer
            }
            if (handle.isPresent()) {
                try {
                    handle.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new CliException(CliException.FAILED, "the agent (pid " + pid + ") did not stop within 60 s");
                }
            }
            System.out.println("agent stopped");
        }
    }
}
