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
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.EnrollmentAdmin;
import org.savesync.server.admin.EnrollmentView;
import org.savesync.server.auth.Roles;

/** The nodes enrolled with the hub, and revoking one ({@link EnrollmentTokenResource} rotates the token). */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/enrollments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "enrollment", description = "Which nodes may register groups with the hub")
public class EnrollmentsResource {
    private final EnrollmentAdmin enrollments;

    EnrollmentsResource(EnrollmentAdmin enrollments) {
        this.enrollments = enrollments;
    }

    @GET
    @Operation(summary = "The nodes enrolled with the hub (revoked ones too), by node id")
    public List<EnrollmentView> list() {
        return enrollments.list();
    }

    @DELETE
    @Path("/{nodeId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revokes a node's enrollment: its groups stay and keep syncing, it can no longer register"
            + " new ones; recorded in the audit log. Revoking twice changes nothing. Answers the enrollment")
    @APIResponse(responseCode = "400", description = "Not a node id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "The node never enrolled with this hub",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public EnrollmentView revoke(@PathParam("nodeId") String nodeId) {
        return enrollments.revoke(AdminInput.node("nodeId", nodeId));
    }
}
