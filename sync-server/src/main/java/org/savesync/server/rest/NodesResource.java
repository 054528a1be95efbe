package org.savesync.server.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.identity.NodeId;
import org.savesync.server.persistence.NodeRecord;
import org.savesync.server.persistence.NodeRegistry;

/** Every node the hub knows: enrolled agents and members of its groups. */
@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "Enrolled agents and group members")
public class NodesResource {
    private final NodeRegistry registry;
    private final ReplicaViews views;

    NodesResource(NodeRegistry registry, ReplicaViews views) {
        this.registry = registry;
        this.views = views;
    }

    /**
     * One node.
     *
     * @param name     the name it gave the hub, else its name on a member list, else null
     * @param enrolled it enrolled with the hub (may register groups)
     * @param lastSeen when it was last connected to the hub, null when never
     * @param groups   ids of the groups it is a member of
     */
    public record NodeView(String nodeId, String name, boolean enrolled, Instant enrolledAt, Instant lastSeen,
                           boolean online, List<String> groups, List<String> addresses) {
    }

    @GET
    @Operation(summary = "Every node the hub knows (enrolled, or a member of a group), by node id")
    public List<NodeView> nodes() {
        Map<NodeId, NodeRecord> known = new TreeMap<>();
        registry.nodes().forEach(n -> known.put(n.id(), n));
        Map<NodeId, List<String>> groupsOf = new TreeMap<>();
        Map<NodeId, String> memberNames = new TreeMap<>();
        for (NodeRegistry.Membership m : registry.memberships()) {
            groupsOf.computeIfAbsent(m.node(), n -> new ArrayList<>()).add(m.group().toString());
            memberNames.putIfAbsent(m.node(), m.name());
        }
        Set<NodeId> all = new TreeSet<>(known.keySet());
        all.addAll(groupsOf.keySet());
        List<NodeView> out = new ArrayList<>(all.size());
        for (NodeId id : all) {
            NodeRecord n = known.get(id);
            String name = n != null && n.name() != null ? n.name() : memberNames.get(id);
            List<String> groups = groupsOf.getOrDefault(id, List.of());
            out.add(new NodeView(id.toString(), name, n != null && n.enrolled(), n == null ? null : n.enrolledAt(),
                    n == null ? null : n.lastSeen(), views.online(id), groups, n == null ? List.of() : n.addresses()));
        }
        return out;
    }
}
