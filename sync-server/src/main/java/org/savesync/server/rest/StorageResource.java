package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.Backups;

/** The chunk store as a whole, and what no chunk list names ({@link GroupStorageResource}: a group's share). */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/storage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "versions", description = "The history the hub keeps of each path")
public class StorageResource {
    private final Backups backups;

    StorageResource(Backups backups) {
        this.backups = backups;
    }

    /** The chunk store as a whole. */
    @Schema(description = "The chunk store: what it holds and what no chunk list of any group names")
    public record HubStorageView(
            long chunks,
            long bytes,
            @Schema(description = "Chunks no chunk list names: the next garbage collection deletes them (once older"
                    + " than savesync.retention.chunk-grace)") long reclaimableChunks,
            long reclaimableBytes) {
    }

    @GET
    @Operation(summary = "The chunk store as a whole: chunks and bytes, and what no chunk list names (reclaimable)")
    public HubStorageView hub() {
        Backups.HubStorage s = backups.hubStorage();
        return new HubStorageView(s.chunks(), s.bytes(), s.reclaimableChunks(), s.reclaimableBytes());
    }
}
