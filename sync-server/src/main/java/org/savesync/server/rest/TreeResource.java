package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.server.admin.ReplicaViews;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.Snapshot;
import org.savesync.server.persistence.PgIndexStore;

/** A group's folder as it was at a given time, from the versions the hub keeps. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/tree")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "versions", description = "The history the hub keeps of each path")
public class TreeResource {
    private final ReplicaViews views;

    TreeResource(ReplicaViews views) {
        this.views = views;
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
        GroupId group = GroupsResource.parseGroup(id);
        Instant time = parseTime(at);
        String under = prefix == null || prefix.isEmpty() ? null : FilesResource.parsePath(prefix) + "/";
        PgIndexStore store = views.store(group);
        return Snapshot.at(store, time).stream()
                .filter(f -> under == null || f.entry().path().toString().startsWith(under))
                .map(f -> {
                    Entry e = f.entry();
                    return new TreeFile(e.path().toString(), e.type().name(), e.size(), e.author() + ":" + e.seq(),
                            e.blob() == null ? null : e.blob().toString(), e.author().toString(), f.receivedAt(),
                            e.type() != EntryType.FILE || store.isComplete(e.blob()));
                }).toList();
    }

    private static Instant parseTime(String at) {
        if (at == null || at.isEmpty()) {
            return Instant.now();
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("'" + (at.length() > 60 ? at.substring(0, 60) + "..." : at) + "' is not a time;"
                    + " give one as ?at=2026-12-08T10:15:30Z (UTC, ISO 8601)");
        }
    }
}
