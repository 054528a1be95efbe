package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code savesync status}: per group, in sync or not, and if not what is left and why. */
@Command(name = "status", description = "Show whether each group is in sync, and if not, what is left and why.")
final class StatusCommand implements Runnable {
    @ParentCommand
    SavesyncCommand top;

    @picocli.CommandLine.Mixin
    JsonOutput out;

    @Override
    public void run() {
        JsonNode s = top.client().get("/status");
        if (out.printed(s)) {
            return;
        }
        System.out.println("node " + s.path("nodeId").asText());
        System.out.println("  listening on " + join(s.path("addresses")));
        if (s.path("groups").isEmpty()) {
            System.out.println("no groups yet: `savesync group create NAME --dir FOLDER` or `savesync join TICKET --dir FOLDER`");
        }
        for (JsonNode g : s.path("groups")) {
            System.out.println("group " + g.path("name").asText() + " (" + g.path("id").asText() + ")");
            System.out.println("  folder  " + g.path("folder").asText());
            System.out.println("  peers   " + g.path("peers").asInt() + " connected");
            String line = g.path("inSync").asBoolean() ? "in sync" : g.path("state").asText() + ": " + g.path("reason").asText();
            System.out.println("  state   " + line);
            for (JsonNode p : g.path("ignoreProblems")) {
                System.out.println("  warning " + p.asText());
            }
            if (g.path("filesLeft").asInt() > 0) {
                System.out.println(String.format(Locale.ROOT, "  left    %d file(s), %.1f MB, %.1f MB/s%s",
                        g.path("filesLeft").asInt(), g.path("bytesLeft").asLong() / 1e6,
                        g.path("bytesPerSecond").asDouble() / 1e6,
                        g.path("etaSeconds").isNumber() ? ", ETA " + g.path("etaSeconds").asLong() + " s" : ""));
            }
        }
        System.out.println(s.path("inSync").asBoolean() ? "in sync" : "not in sync");
    }

    private static String join(JsonNode arr) {
        StringBuilder b = new StringBuilder();
        for (JsonNode a : arr) {
            b.append(b.isEmpty() ? "" : ", ").append(a.asText());
        }
        return b.toString();
    }
}
