package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.engine.Removal;
import org.savesync.core.membership.GroupId;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.GroupDirectory;
import org.savesync.server.admin.GroupSummary;
import org.savesync.server.admin.MemberView;
import org.savesync.server.admin.Members;
import org.savesync.server.auth.Roles;

/** The groups the hub replicates and their members. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups", description = "The groups the hub replicates")
public class GroupsResource {
    private final GroupDirectory directory;
    private final Members members;

    GroupsResource(GroupDirectory directory, Members members) {
        this.directory = directory;
        this.members = members;
    }

    /** What a removal did, as the API shows it. */
    @Schema(description = "A member removed from a group")
    public record RemovalView(
            @Schema(description = "The group id") String groupId,
            @Schema(description = "The node removed") String nodeId,
            @Schema(description = "Its name on the member list") String name,
            @Schema(description = "The version of the signed member list without it") long memberListVersion,
            @Schema(description = "The group secret's new epoch, which the removed node never gets")
            long secretEpoch) {
        static RemovalView of(Removal r) {
            return new RemovalView(r.group().toString(), r.node().toString(), r.name(), r.listVersion(),
                    r.secretEpoch());
        }
    }

    @GET
    @Operation(summary = "Every group the hub replicates, with counts")
    public List<GroupSummary> groups() {
        return directory.groups();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One group the hub replicates, with counts")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public GroupSummary group(@PathParam("id") String id) {
        return directory.group(parseGroup(id));
    }

    @GET
    @Path("{id}/members")
    @Operation(summary = "The members of a group, with presence and what they hold")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<MemberView> members(@PathParam("id") String id) {
        return directory.members(parseGroup(id));
    }

    @DELETE
    @Path("{id}/members/{nodeId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Removes a member: a new signed member list without it, a new group-secret epoch only the"
            + " remaining members get, its links dropped by every member, the group's outstanding invites revoked;"
            + " recorded in the audit log")
    @APIResponse(responseCode = "400", description = "A malformed group or node id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such group, or the node is not a member",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The node is the hub itself (the group's authority)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public RemovalView removeMember(@PathParam("id") String id, @PathParam("nodeId") String nodeId) {
        return RemovalView.of(members.remove(AdminInput.group("groupId", id), AdminInput.node("nodeId", nodeId)));
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
