package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.admin.GroupDirectory;
import org.savesync.server.admin.NodeView;
import org.savesync.server.auth.Roles;

/** Every node the hub knows: enrolled agents and members of its groups. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "Enrolled agents and group members")
public class NodesResource {
    private final GroupDirectory directory;

    NodesResource(GroupDirectory directory) {
        this.directory = directory;
    }

    @GET
    @Operation(summary = "Every node the hub knows (enrolled, or a member of a group), by node id")
    public List<NodeView> nodes() {
        return directory.nodes();
    }
}
