package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.Backups;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.StoredVersion;

/** The versions the hub keeps of a group's paths: the current ones and the replaced and deleted ones retention keeps. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "versions", description = "The history the hub keeps of each path")
public class VersionsResource {
    private final Backups backups;
    private final CatalogedChunkStore chunks;

    VersionsResource(Backups backups, CatalogedChunkStore chunks) {
        this.backups = backups;
        this.chunks = chunks;
    }

    /** One version of a path. */
    @Schema(description = "A version of a path as the hub holds it")
    public record VersionView(
            @Schema(description = "The version's id: the author's node id and the entry's seq, AUTHOR:SEQ") String id,
            String path,
            @Schema(description = "FILE, DIRECTORY, SYMLINK or DELETED (a deletion)") String type,
            long size,
            @Schema(description = "The content id of a FILE (hex); null otherwise", nullable = true) String blob,
            @Schema(description = "The node id of the member who wrote it") String author,
            @Schema(description = "That member's name in the group's member list; null when it is no member any more",
                    nullable = true) String authorName,
            @Schema(description = "When the hub received it") Instant receivedAt,
            @Schema(description = "When the next version of the path arrived; null for the newest", nullable = true)
            Instant replacedAt,
            @Schema(description = "The newest version of its author for the path (retention never removes it)")
            boolean current) {
        static VersionView of(Backups.Version version) {
            StoredVersion v = version.stored();
            return new VersionView(v.id(), v.path(), v.type().name(), v.size(),
                    v.blob() == null ? null : v.blob().toString(), v.author().toString(), version.authorName(),
                    v.receivedAt(), v.replacedAt(), v.current());
        }
    }

    @GET
    @Operation(summary = "Every version of a path the hub keeps, newest first (deletions included)")
    @APIResponse(responseCode = "400", description = "No path, or not a path in a group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<VersionView> versions(@PathParam("id") String id, @QueryParam("path") String path) {
        return backups.versions(GroupsResource.parseGroup(id), AdminInput.path("path", path)).stream()
                .map(VersionView::of).toList();
    }

    @GET
    @Path("content")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The bytes of one version of a file, current or kept for backup, read from the chunk store;"
            + " every chunk is verified as it is read")
    @APIResponse(responseCode = "200", description = "The version's bytes")
    @APIResponse(responseCode = "400", description = "No version, or not AUTHOR:SEQ",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such group, no such version (or retention removed it), or"
            + " the version is not a file", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The hub does not hold all of the version's chunks",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Response content(@PathParam("id") String id, @QueryParam("version") String version) {
        Backups.FileVersion v = backups.fileVersion(GroupsResource.parseGroup(id), "version", version);
        return BlobBody.response(v.store(), chunks, v.entry(), "version " + version + " of '" + v.entry().path() + "'");
    }
}
