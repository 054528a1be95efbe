package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code savesync group ...}: create, invite to, list, show and leave groups. */
@Command(name = "group", description = "Create, invite to, show and leave groups.",
        subcommands = {GroupCommand.Create.class, GroupCommand.Invite.class, GroupCommand.ListGroups.class,
                GroupCommand.Show.class, GroupCommand.Leave.class})
final class GroupCommand implements Runnable {
    @ParentCommand
    SavesyncCommand top;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code group create NAME --dir FOLDER}: prints the group id last. */
    @Command(name = "create", description = "Create a group syncing FOLDER; prints the group id last.")
    static final class Create implements Runnable {
        @ParentCommand
        GroupCommand group;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--dir", required = true, paramLabel = "FOLDER", description = "the folder to sync")
        Path dir;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        @Override
        public void run() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("dir", dir.toAbsolutePath().normalize().toString());
            JsonNode g = group.top.client().post("/groups", body, Duration.ofSeconds(60));
            if (out.printed(g)) {
                return;
            }
            System.out.println("created group " + g.path("name").asText() + " syncing " + g.path("folder").asText());
            System.out.println("invite members with `savesync group invite " + g.path("id").asText() + "`");
            System.out.println(g.path("id").asText());
        }
    }

    /** {@code group invite GROUP_ID}: prints a ticket last. */
    @Command(name = "invite", description = "Make an invite ticket for a group; prints the ticket last.")
    static final class Invite implements Runnable {
        @ParentCommand
        GroupCommand group;

        @Parameters(paramLabel = "GROUP_ID")
        String id;

        @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
                description = "how long the ticket works, 1m to 30d: e.g. 30m, 24h, 7d (default ${DEFAULT-VALUE})")
        Duration expires;

        @Option(names = "--reusable", description = "the ticket admits more than one joiner until it expires: up to"
                + " --uses of them, 100 unless said (default: one joiner)")
        boolean reusable;

        @Option(names = "--uses", paramLabel = "N", description = "how many joiners the ticket admits, 1 to 10000"
                + " (more than 1 makes it reusable; default 1, or 100 with --reusable)")
        Integer uses;

        @Option(names = "--read-only", description = "the joiners receive the folder but may not change it: every"
                + " member refuses what they write (default: read-write members)")
        boolean readOnly;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        /** The request to the agent's {@code POST /groups/{id}/invite}. */
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("expiresSeconds", expires.toSeconds());
            body.put("reusable", reusable);
            body.put("readOnly", readOnly);
            if (uses != null) {
                body.put("uses", uses);
            }
            return body;
        }

        @Override
        public void run() {
            JsonNode t = group.top.client().post("/groups/" + id + "/invite", body(), Duration.ofSeconds(30));
            if (out.printed(t)) {
                return;
            }
            int maxUses = t.path("maxUses").asInt(1);
            System.out.println((maxUses > 1 ? "reusable (" + maxUses + " joiners)" : "single-use")
                    + ("READER".equals(t.path("role").asText()) ? " read-only" : "") + " ticket, valid until "
                    + Instant.ofEpochMilli(t.path("expiresAtMillis").asLong()) + ", from the group's authority "
                    + t.path("authority").asText() + " (" + authorityName(t.path("authorityIs").asText())
                    + "); on the other machine run:");
            System.out.println("  savesync join TICKET --dir FOLDER");
            System.out.println(t.path("ticket").asText());
        }
    }

    /** {@code group list} (also {@code savesync groups}). */
    @Command(name = "list", description = "List this agent's groups.")
    static final class ListGroups implements Runnable {
        @ParentCommand
        GroupCommand group;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        @Override
        public void run() {
            print(group.top.client().get("/groups"), out);
        }

        static void print(JsonNode groups, JsonOutput out) {
            if (out.printed(groups)) {
                return;
            }
            if (groups.isEmpty()) {
                System.out.println("no groups");
            }
            for (JsonNode g : groups) {
                System.out.println(g.path("id").asText() + "  " + g.path("name").asText() + "  " + g.path("folder").asText()
                        + "  (" + g.path("members").asInt() + " members)");
            }
        }
    }

    /** {@code savesync groups}: same as {@code group list}. */
    @Command(name = "groups", description = "List this agent's groups.")
    static final class ListGroupsTop implements Runnable {
        @ParentCommand
        SavesyncCommand top;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        @Override
        public void run() {
            ListGroups.print(top.client().get("/groups"), out);
        }
    }

    /** {@code group show GROUP_ID}: members and state. */
    @Command(name = "show", description = "Show a group's members and state.")
    static final class Show implements Runnable {
        @ParentCommand
        GroupCommand group;

        @Parameters(paramLabel = "GROUP_ID")
        String id;

        @picocli.CommandLine.Mixin
        JsonOutput out;

        @Override
        public void run() {
            JsonNode d = group.top.client().get("/groups/" + id);
            if (out.printed(d)) {
                return;
            }
            JsonNode g = d.path("group");
            System.out.println("group " + g.path("name").asText() + " (" + g.path("id").asText() + ") in "
                    + g.path("folder").asText());
            System.out.println("authority " + g.path("authority").asText() + " ("
                    + authorityName(g.path("authorityIs").asText()) + ")");
            JsonNode hub = d.path("hub");
            if (hub.isObject()) {
                System.out.println("hub " + StatusCommand.registrationText(hub));
            }
            System.out.println("state " + d.path("state").path("state").asText() + ": " + d.path("state").path("reason").asText());
            for (JsonNode m : d.path("members")) {
                System.out.println("  " + m.path("nodeId").asText() + "  " + m.path("name").asText() + "  "
                        + m.path("role").asText() + (m.path("connected").asBoolean() ? "  online" : ""));
            }
        }
    }

    /** {@code group leave GROUP_ID}: stop syncing; the files stay. */
    @Command(name = "leave", description = "Stop syncing a group on this machine (its files stay in the folder).")
    static final class Leave implements Runnable {
        @ParentCommand
        GroupCommand group;

        @Parameters(paramLabel = "GROUP_ID")
        String id;

        @Override
        public void run() {
            var r = group.top.client().delete("/groups/" + id);
            String told = r == null ? "" : r.path("authority").asText("");
            System.out.println("left group " + id + "; its files stay in the folder" + (told.isEmpty() ? "" : "; " + told));
        }
    }

    /** {@code this-node}, {@code hub}, {@code other} as the API says them, in words. */
    static String authorityName(String kind) {
        return switch (kind) {
            case "this-node" -> "this node";
            case "hub" -> "the hub";
            default -> "another member";
        };
    }

    /** Parses 90s, 30m, 24h, 7d (or an ISO-8601 duration). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String s) {
            String v = s.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("'" + s + "' is not a duration like 30m, 24h or 7d");
            };
        }
    }
}
