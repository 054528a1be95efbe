package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.identity.NodeId;
import org.savesync.server.auth.Roles;
import org.savesync.server.persistence.NodeRecord;
import org.savesync.server.persistence.NodeRegistry;

/** Every node the hub knows: enrolled agents and members of its groups. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
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

    /** One node the hub knows (each field as described in the OpenAPI). */
    @Schema(description = "A node the hub knows: itself, an enrolled agent, or a member of one of its groups")
    public record NodeView(
            @Schema(description = "The node id (base32 of its Ed25519 public key)") String nodeId,
            @Schema(description = "The name it gave the hub, else its name on a member list; null when neither is"
                    + " known", nullable = true) String name,
            @Schema(description = "This node is the hub itself") boolean hub,
            @Schema(description = "It may register groups with this hub: it enrolled with the hub's enrollment token"
                    + " (the hub itself: true). A member that joined a group with an invite ticket and never"
                    + " enrolled is false: that limits nothing in its groups, it only cannot register new ones")
            boolean enrolled,
            @Schema(description = "When it first enrolled; null when it never did (and for the hub itself)",
                    nullable = true) Instant enrolledAt,
            @Schema(description = "When it was last connected to the hub: the time of the answer while it is online"
                    + " (always for the hub itself), else the last time the hub saw it (at most a few seconds before"
                    + " it went away); null when it never connected", nullable = true) Instant lastSeen,
            @Schema(description = "Connected to the hub now (the hub itself: always true)") boolean online,
            @Schema(description = "Ids of the groups it is on the member list of") List<String> groups,
            @Schema(description = "The addresses it said it listens on when it last connected (the hub itself: where"
                    + " its QUIC endpoint listens)") List<String> addresses) {
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
            boolean self = views.self(id);
            List<String> addresses = self ? views.hubAddresses() : n == null ? List.of() : n.addresses();
            out.add(new NodeView(id.toString(), name, self, self || n != null && n.enrolled(),
                    n == null ? null : n.enrolledAt(), views.lastSeen(id, n == null ? null : n.lastSeen()),
                    views.online(id), groups, addresses));
        }
        return out;
    }
}
