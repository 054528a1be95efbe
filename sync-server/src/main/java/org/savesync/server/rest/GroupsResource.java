package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
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
import org.savesync.core.membership.GroupId;
import org.savesync.server.admin.GroupDirectory;
import org.savesync.server.admin.GroupSummary;
import org.savesync.server.admin.MemberView;
import org.savesync.server.auth.Roles;

/** The groups the hub replicates and their members. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "groups", description = "The groups the hub replicates")
public class GroupsResource {
    private final GroupDirectory directory;

    GroupsResource(GroupDirectory directory) {
        this.directory = directory;
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

    static GroupId parseGroup(String id) {
        try {
            return GroupId.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("'" + id + "' is not a group id: " + e.getMessage()
                    + "; GET /api/v1/groups lists the groups");
        }
    }
}
