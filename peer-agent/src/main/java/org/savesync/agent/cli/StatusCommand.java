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
        show(top.client(), out.json);
    }

    /**
     * Asks the agent for its status and prints it (as JSON with {@code json}): the command's whole
     * output, shared by picocli's path and {@link ClientFastPath}, so the two cannot drift apart.
     */
    static void show(ApiClient client, boolean json) {
        JsonNode s = client.get("/status");
        if (json) {
            JsonOutput.print(s);
            return;
        }
        System.out.println("node " + s.path("nodeId").asText());
        System.out.println("  listening on " + join(s.path("addresses")));
        JsonNode hub = s.path("hub");
        if (hub.isObject()) {
            System.out.println(hubLine(hub));
        }
        if (s.path("groups").isEmpty()) {
            System.out.println("no groups yet: `savesync group create NAME --dir FOLDER` or `savesync join TICKET --dir FOLDER`");
        }
        for (JsonNode g : s.path("groups")) {
            System.out.println("group " + g.path("name").asText() + " (" + g.path("id").asText() + ")");
            System.out.println("  folder  " + g.path("folder").asText());
            System.out.println("  peers   " + g.path("peers").asInt() + " connected");
            String line = g.path("inSync").asBoolean() ? "in sync" : g.path("state").asText() + ": " + g.path("reason").asText();
            System.out.println("  state   " + line);
            if (g.path("hub").isObject()) {
                System.out.println("  backup  " + g.path("hub").path("text").asText());
            }
            hubRegistration(hub, g.path("id").asText()).ifPresent(r -> System.out.println("  hub     " + r));
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

    /** One line: the hub, whether it is connected, and how many groups stand where. */
    static String hubLine(JsonNode hub) {
        int registered = 0;
        int pending = 0;
        int refused = 0;
        for (JsonNode g : hub.path("groups")) {
            String state = g.path("state").asText();
            if (state.equals("registered")) {
                registered++;
            } else if (state.equals("pending")) {
                pending++;
            } else if (state.startsWith("refused")) {
                refused++;
            }
        }
        return "  hub " + hub.path("address").asText() + "#" + hub.path("nodeId").asText() + " "
                + (hub.path("connected").asBoolean() ? "connected" : "not connected") + ": " + registered
                + " group(s) registered, " + pending + " pending, " + refused + " refused";
    }

    /** A group's registration, for the group's lines, when it is not simply registered. */
    static java.util.Optional<String> hubRegistration(JsonNode hub, String groupId) {
        for (JsonNode r : hub.path("groups")) {
            if (r.path("id").asText().equals(groupId)) {
                String state = r.path("state").asText();
                if (state.equals("registered") || state.equals("skipped")) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(registrationText(r));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code STATE (DETAIL; next try in N s)} of one group's registration. */
    static String registrationText(JsonNode r) {
        return r.path("state").asText() + " (" + r.path("detail").asText() + (r.path("nextAttemptSeconds").isNumber()
                ? "; next try in " + r.path("nextAttemptSeconds").asLong() + " s" : "") + ")";
    }

    private static String join(JsonNode arr) {
        StringBuilder b = new StringBuilder();
        for (JsonNode a : arr) {
            b.append(b.isEmpty() ? "" : ", ").append(a.asText());
        }
        return b.toString();
    }
}
