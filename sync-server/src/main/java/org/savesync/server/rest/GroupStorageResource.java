package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.Backups;

/** A group's bytes in the chunk store, by current files and kept history. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/storage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "versions", description = "The history the hub keeps of each path")
public class GroupStorageResource {
    private final Backups backups;

    GroupStorageResource(Backups backups) {
        this.backups = backups;
    }

    /** A group's bytes in the chunk store, each distinct chunk counted once. */
    @Schema(description = "What a group's versions hold in the chunk store, each distinct chunk counted once")
    public record GroupStorageView(
            String groupId,
            @Schema(description = "Versions the hub keeps, current and history") int versions,
            int currentVersions,
            @Schema(description = "Bytes the current versions need") long currentBytes,
            @Schema(description = "Bytes only replaced and deleted versions need: what retention can give back")
            long historyBytes,
            long totalBytes) {
    }

    @GET
    @Operation(summary = "A group's bytes in the chunk store: needed by its current files, and by its kept history only")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public GroupStorageView group(@PathParam("id") String id) {
        Backups.GroupStorage s = backups.storage(GroupsResource.parseGroup(id));
        return new GroupStorageView(s.group().toString(), s.versions(), s.currentVersions(), s.currentBytes(),
                s.historyBytes(), s.totalBytes());
    }

}
