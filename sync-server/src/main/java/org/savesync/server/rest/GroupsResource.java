package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;
import org.savesync.server.auth.Roles;
import org.savesync.server.persistence.NodeRecord;
import org.savesync.server.persistence.NodeRegistry;

/** The groups the hub replicates and their members. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups", description = "The groups the hub replicates")
public class GroupsResource {
    private final ReplicaViews views;
    private final NodeRegistry nodes;

    GroupsResource(ReplicaViews views, NodeRegistry nodes) {
        this.views = views;
        this.nodes = nodes;
    }

    /**
     * One group as the hub holds it.
     *
     * @param entries         entries held now (the newest of each author and path)
     * @param files           current files (deleted ones, directories and symlinks not counted)
     * @param bytes           size of the current files
     * @param bytesStored     bytes of the group's chunks in the chunk store (every version it holds)
     * @param filesComplete   current files whose every chunk the hub holds
     * @param filesIncomplete current files the hub is still fetching
     */
    public record GroupSummary(String id, String name, String authority, int members, long memberListVersion,
                               long entries, long files, long bytes, long bytesStored, long filesComplete,
                               long filesIncomplete) {
    }

    /** One member of a group, as the hub sees it now (each field as described in the OpenAPI). */
    @Schema(description = "A member of a group, as the hub sees it now")
    public record MemberView(
            @Schema(description = "The member's node id (base32 of its Ed25519 public key)") String nodeId,
            @Schema(description = "The name the member list gives it") String name,
            @Schema(description = "Its role on the member list: OWNER (created the group), MEMBER, or HUB (this hub,"
                    + " the group's authority and backup)") String role,
            @Schema(description = "When it was added to the member list") Instant addedAt,
            @Schema(description = "When it was last connected to the hub: the time of the answer while it is online"
                    + " (always for the hub itself), else the last time the hub saw it (at most a few seconds before"
                    + " it went away); null when it never connected to the hub", nullable = true) Instant lastSeen,
            @Schema(description = "Connected to the hub now (the hub itself: always true)") boolean online,
            @Schema(description = "Its last reported knowledge of the group covers every entry the hub holds"
                    + " (the hub itself: always true); false for a member that never reported or is behind")
            boolean upToDate,
            @Schema(description = "Bytes of the group it holds as far as the hub knows: for the hub, the bytes of"
                    + " the group's chunks in its store; for an up-to-date member, the size of the current files;"
                    + " null when unknown", nullable = true) Long bytesHeld) {
    }

    @GET
    @Operation(summary = "Every group the hub replicates, with counts")
    public List<GroupSummary> groups() {
        return views.groupIds().stream().map(views::state).map(GroupsResource::summary).toList();
    }

    private static GroupSummary summary(ReplicaViews.GroupState g) {
        long files = g.files();
        long complete = g.filesComplete();
        return new GroupSummary(g.id().toString(), g.info().name(), g.info().authority().toString(),
                g.members().members().size(), g.members().version(), g.entries(), files, g.bytes(), g.bytesStored(),
                complete, files - complete);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One group the hub replicates, with counts")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public GroupSummary group(@PathParam("id") String id) {
        return summary(views.state(parseGroup(id)));
    }

    @GET
    @Path("{id}/members")
    @Operation(summary = "The members of a group, with presence and what they hold")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<MemberView> members(@PathParam("id") String id) {
        GroupId group = parseGroup(id);
        ReplicaViews.GroupState g = views.state(group);
        Map<NodeId, NodeRecord> known = nodes.nodes().stream().collect(Collectors.toMap(NodeRecord::id, n -> n));
        return g.members().members().stream().map(m -> member(g, m, known.get(m.id()))).toList();
    }

    private MemberView member(ReplicaViews.GroupState g, Member m, NodeRecord node) {
        boolean upToDate = views.upToDate(g.id(), m.id());
        Long held = m.role() == Role.HUB ? Long.valueOf(g.bytesStored()) : upToDate ? Long.valueOf(g.bytes()) : null;
        return new MemberView(m.id().toString(), m.name(), m.role().name(), Instant.ofEpochMilli(m.addedAtMillis()),
                views.lastSeen(m.id(), node == null ? null : node.lastSeen()), views.online(m.id()), upToDate, held);
    }

    static GroupId parseGroup(String id) {
        try {
            return GroupId.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("'" + id + "' is not a group id: " + e.getMessage()
                    + "; GET /api/v1/groups lists the groups");
        }
    }
}
