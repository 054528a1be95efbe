package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.savesync.core.membership.Ticket;

/** The steps the hub's end-to-end tests share: groups, registration, hub tickets, joins. */
final class HubSteps {
    /** Registering a group: the agent dials the hub, hands the authority over, the hub stores it. */
    static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(60);

    private HubSteps() {
    }

    /** {@code savesync group create NAME --dir FOLDER}; returns the group id it prints last. */
    static String createGroup(AgentProcess a, String name) {
        String id = a.cli("group", "create", name, "--dir", a.folder().toString()).ok().lastLine();
        assertThat(id).as("a group id").matches("[a-z2-7]{16,}");
        return id;
    }

    /** The group's registration state in the agent's {@code GET /status} ({@code hub.groups[].state}), or null. */
    static String registration(AgentProcess a, String group) {
        for (JsonNode g : a.api().status().path("hub").path("groups")) {
            if (g.path("id").asText().equals(group)) {
                return g.path("state").asText();
            }
        }
        return null;
    }

    /** Waits until the agent says the group is registered and the hub's admin API lists it. */
    static void awaitRegistered(AgentProcess a, HubProcess hub, String group) {
        await("group " + group + " registered by " + a.name() + " with the hub").atMost(REGISTER_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "registered".equals(registration(a, group)) && hub.api().group(group) != null);
    }

    /**
     * {@code savesync group invite GROUP [OPTIONS]} on a member of a registered group: the ticket
     * must name the hub as the authority (it came from the hub).
     */
    static String hubTicket(AgentProcess member, HubProcess hub, String group, String... options) {
        List<String> args = new ArrayList<>(List.of("group", "invite", group));
        args.addAll(List.of(options));
        String ticket = member.cli(args.toArray(String[]::new)).ok().lastLine();
        assertThat(ticket).startsWith(Ticket.PREFIX);
        assertThat(Ticket.parse(ticket).authority().toString()).as("the authority a hub ticket names")
                .isEqualTo(hub.nodeId());
        return ticket;
    }

    /** {@code savesync join TICKET --dir FOLDER} on {@code joiner}, which must print the group id last. */
    static void join(AgentProcess joiner, String ticket, String group) {
        assertThat(joiner.cli("join", ticket, "--dir", joiner.folder().toString()).ok().lastLine()).isEqualTo(group);
    }

    /** The node ids in the agent's {@code GET /groups/{id}} members. */
    static List<String> members(AgentProcess a, String group) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : a.api().get("/groups/" + group).path("members")) {
            out.add(m.path("nodeId").asText());
        }
        return out;
    }

    /** Waits until the hub's admin API lists exactly {@code files} for the group, each complete. */
    static void awaitHubHoldsCompletely(HubProcess hub, String group, Set<String> files, Duration atMost) {
        try {
            await("the hub holds all " + files.size() + " files completely").atMost(atMost)
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        Map<String, Boolean> held = hub.api().files(group);
                        return held.keySet().equals(files) && !held.containsValue(false);
                    });
        } catch (ConditionTimeoutException e) {
            Map<String, Boolean> held = hub.api().files(group);
            Set<String> missing = new TreeSet<>(files);
            missing.removeAll(held.keySet());
            Set<String> incomplete = held.entrySet().stream().filter(f -> !f.getValue()).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> extra = new TreeSet<>(held.keySet());
            extra.removeAll(files);
            throw new AssertionError("the hub does not hold every file completely after " + atMost + ": not listed "
                    + some(missing) + ", incomplete " + some(incomplete) + ", not in the author's folder " + some(extra), e);
        }
    }

    private static String some(Set<String> s) {
        return s.size() + " " + s.stream().limit(10).toList();
    }
}
