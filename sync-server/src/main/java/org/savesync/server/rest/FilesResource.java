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
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SafePath;
import org.savesync.server.admin.ReplicaViews;
import org.savesync.server.auth.Roles;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;

/** The current files of a group's replica, and their bytes read back from the chunk store. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/files")
@Tag(name = "files", description = "The current files of a group as the hub holds them")
public class FilesResource {
    private final ReplicaViews views;
    private final CatalogedChunkStore chunks;

    FilesResource(ReplicaViews views, CatalogedChunkStore chunks) {
        this.views = views;
        this.chunks = chunks;
    }

    /**
     * The current version of one path (deleted paths are not listed).
     *
     * @param type     FILE, DIRECTORY or SYMLINK
     * @param blob     content id of a FILE (hex), null otherwise
     * @param author   node id of the member whose version this is
     * @param complete the hub holds every chunk of the file (always true for other types)
     */
    public record FileView(String path, String type, long size, Instant mtime, String blob, String author,
                           boolean complete) {
        static FileView of(ReplicaViews.CurrentFile f) {
            Entry e = f.entry();
            return new FileView(e.path().toString(), e.type().name(), e.size(),
                    Instant.EPOCH.plusNanos(e.mtimeNanos()), e.blob() == null ? null : e.blob().toString(),
                    e.author().toString(), f.complete());
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The current files, directories and symlinks of a group, by path")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<FileView> files(@PathParam("id") String id) {
        return views.state(GroupsResource.parseGroup(id)).current().stream().map(FileView::of).toList();
    }

    @GET
    @Path("content")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The bytes of a current file, read from the chunk store; every chunk is verified as it is read")
    @APIResponse(responseCode = "200", description = "The file's bytes")
    @APIResponse(responseCode = "404", description = "No such group, or no file at the path",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The hub does not hold all of the file's chunks yet",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Response content(@PathParam("id") String id, @QueryParam("path") String path) {
        GroupId group = GroupsResource.parseGroup(id);
        SafePath safe = parsePath(path);
        PgIndexStore store = views.store(group);
        ReplicaViews.CurrentFile file = views.current(store, safe)
                .filter(f -> f.entry().type() == EntryType.FILE)
                .orElseThrow(() -> ApiProblem.notFound("group " + group + " has no file at '" + safe + "';"
                        + " GET /api/v1/groups/" + group + "/files lists its files"));
        return BlobBody.response(store, chunks, file.entry(), "'" + safe + "'");
    }

    private static SafePath parsePath(String path) {
        if (path == null || path.isEmpty()) {
            throw ApiProblem.badRequest("give the file's path as ?path=dir/name");
        }
        try {
            return SafePath.of(path);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("'" + path + "' is not a path in a group: " + e.getMessage());
        }
    }
}
