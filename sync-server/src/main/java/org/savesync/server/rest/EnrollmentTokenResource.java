package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.admin.EnrollmentAdmin;
import org.savesync.server.admin.RotatedToken;
import org.savesync.server.auth.Roles;

/** Rotating the enrollment token agents enroll with. */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/enrollment-token")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "enrollment", description = "Which nodes may register groups with the hub")
public class EnrollmentTokenResource {
    private final EnrollmentAdmin enrollments;

    EnrollmentTokenResource(EnrollmentAdmin enrollments) {
        this.enrollments = enrollments;
    }

    @POST
    @Operation(summary = "Replaces the enrollment token with a new random one (same owner-only file) and answers it,"
            + " this once; the old token stops working at once, enrolled agents are not affected. Recorded in the"
            + " audit log without the token")
    public RotatedToken rotate() {
        return enrollments.rotateToken();
    }
}
