package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.auth.Roles;

/** The retention policies of every group ({@link RetentionResource} reads and changes one). */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "retention", description = "How much history the hub keeps of each group")
public class RetentionListResource {
    private final RetentionPolicies policies;

    RetentionListResource(RetentionPolicies policies) {
        this.policies = policies;
    }

    @GET
    @Operation(summary = "The retention policy of every group the hub holds (its own or the defaults), by group id")
    public List<RetentionResource.PolicyView> list() {
        return policies.list().stream().map(RetentionResource.PolicyView::of).toList();
    }
}
