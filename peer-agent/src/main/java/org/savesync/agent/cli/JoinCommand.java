package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code savesync join TICKET --dir FOLDER}: joins a group; prints the group id last. */
@Command(name = "join", description = "Join a group with an invite ticket, syncing it into FOLDER; prints the group id"
        + " last. Files already in FOLDER are merged (same content costs nothing, different content becomes a conflict).")
final class JoinCommand implements Runnable {
    @ParentCommand
    SavesyncCommand top;

    @Parameters(paramLabel = "TICKET")
    String ticket;

    @Option(names = "--dir", required = true, paramLabel = "FOLDER", description = "the folder to sync into")
    Path dir;

    @picocli.CommandLine.Mixin
    JsonOutput out;

    @Override
    public void run() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("ticket", ticket);
        body.put("dir", dir.toAbsolutePath().normalize().toString());
        JsonNode g = top.client().post("/join", body, Duration.ofSeconds(90));
        if (out.printed(g)) {
            return;
        }
        System.out.println("joined group " + g.path("name").asText() + " syncing " + g.path("folder").asText()
                + "; `savesync status` shows the progress");
        System.out.println(g.path("id").asText());
    }
}
