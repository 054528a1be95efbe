package org.savesync.agent.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;

/**
 * The rows of {@code GET /peers}: one per connected node, named as the groups' signed member
 * lists name it (the authority recorded the name when it admitted the node), with the hub
 * marked. A name comes from another machine, so it is shown cleaned: no control characters,
 * at most {@link #MAX_SHOWN_NAME} characters.
 */
final class PeerRows {
    /** The longest name shown; longer ones are cut with an ellipsis. */
    static final int MAX_SHOWN_NAME = 64;

    private PeerRows() {
    }

    /**
     * @param nodeId    the node id
     * @param name      its name in the member lists ({@code null} when no shared group lists it)
     * @param hub       whether it is the hub (the configured hub, or a member with role hub)
     * @param direction {@code inbound}, {@code outbound} or {@code inbound+outbound}
     * @param addresses where it says it listens
     * @param groups    the ids of the groups this node shares with it
     */
    record Peer(String nodeId, String name, boolean hub, String direction, List<String> addresses, List<String> groups) {
    }

    static List<Peer> of(List<SyncEngine.PeerLink> links, List<GroupHandle> groups, Optional<NodeId> configuredHub) {
        // Two members may hold two connections (each dialled the other): one row per node.
        Map<NodeId, List<SyncEngine.PeerLink>> byNode = new LinkedHashMap<>();
        links.forEach(p -> byNode.computeIfAbsent(p.node(), n -> new ArrayList<>()).add(p));
        List<Peer> rows = new ArrayList<>();
        byNode.forEach((node, nodeLinks) -> {
            String direction = nodeLinks.stream().map(l -> l.inbound() ? "inbound" : "outbound").distinct().sorted()
                    .reduce((a, b) -> a + "+" + b).orElse("");
            Set<String> names = new LinkedHashSet<>();
            boolean hub = configuredHub.filter(node::equals).isPresent();
            List<String> shared = new ArrayList<>();
            for (GroupHandle g : groups) {
                Optional<Member> m = g.members().member(node);
                if (m.isPresent()) {
                    shared.add(g.id().toString());
                    names.add(m.get().name());
                    hub |= m.get().role() == Role.HUB;
                }
            }
            String name = names.stream().map(PeerRows::shown).filter(n -> !n.isEmpty()).findFirst().orElse(null);
            rows.add(new Peer(node.toString(), name, hub, direction, nodeLinks.get(0).listenAddresses(), shared));
        });
        return rows;
    }

    /** A name from another machine, safe to print on a terminal. */
    static String shown(String name) {
        String clean = name.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return clean.codePointCount(0, clean.length()) <= MAX_SHOWN_NAME ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, MAX_SHOWN_NAME - 1)) + "…";
    }
}
