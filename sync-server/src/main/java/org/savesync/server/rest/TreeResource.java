package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.replication.Entry;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.Backups;

/** A group's folder as it was at a given time, from the versions the hub keeps. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/tree")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "versions", description = "The history the hub keeps of each path")
public class TreeResource {
    private final Backups backups;

    TreeResource(Backups backups) {
        this.backups = backups;
    }

    /** A path of the tree at the time asked for. */
    @Schema(description = "A file, directory or symlink of a group's folder as it was at a given time")
    public record TreeFile(
            String path,
            @Schema(description = "FILE, DIRECTORY or SYMLINK") String type,
            long size,
            @Schema(description = "The version it had then, AUTHOR:SEQ (for .../versions/content)") String version,
            @Schema(description = "The content id of a FILE (hex); null otherwise", nullable = true) String blob,
            String author,
            @Schema(description = "When the hub received that version") Instant receivedAt,
            @Schema(description = "The hub holds every chunk of it (always true for other types)") boolean complete) {
        static TreeFile of(Backups.TreeFile f) {
            Entry e = f.entry();
            return new TreeFile(e.path().toString(), e.type().name(), e.size(), f.version(),
                    e.blob() == null ? null : e.blob().toString(), e.author().toString(), f.receivedAt(), f.complete());
        }
    }

    @GET
    @Operation(summary = "The group's files as they were at a time (now when left out), from the versions the hub"
            + " keeps; deleted paths are left out, and so are versions retention removed")
    @APIResponse(responseCode = "400", description = "A malformed time or prefix",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<TreeFile> tree(@PathParam("id") String id, @QueryParam("at") String at,
                               @QueryParam("prefix") String prefix) {
        return backups.tree(GroupsResource.parseGroup(id), AdminInput.time("at", at, Instant.now()),
                        prefix == null || prefix.isEmpty() ? null : AdminInput.path("prefix", prefix))
                .stream().map(TreeFile::of).toList();
    }
}
