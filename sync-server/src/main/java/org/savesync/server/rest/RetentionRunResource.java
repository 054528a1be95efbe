package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.admin.Actor;
import org.savesync.server.auth.Roles;
import org.savesync.server.backup.RetentionJob;

/** Runs retention over every group now, instead of waiting for the schedule. */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/retention/run")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "retention", description = "How much history the hub keeps of each group")
public class RetentionRunResource {
    private final RetentionJob job;
    private final Actor actor;

    RetentionRunResource(RetentionJob job, Actor actor) {
        this.job = job;
        this.actor = actor;
    }

    /** What a run did to one group. */
    public record GroupRun(String groupId, int versionsBefore, int versionsPruned, Map<String, Integer> why,
                           long bytesBefore, long bytesAfter, long bytesReleased, int blobsDropped, String error) {
        static GroupRun of(RetentionJob.GroupReport r) {
            Map<String, Integer> why = new java.util.TreeMap<>();
            r.why().forEach((k, v) -> why.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            return new GroupRun(r.group().toString(), r.versionsBefore(), r.versionsPruned(), why, r.bytesBefore(),
                    r.bytesAfter(), r.bytesReleased(), r.blobsDropped(), r.error());
        }
    }

    /** What the garbage collection after the groups did (null when it failed: {@code collectError}). */
    public record Collected(long chunksDeleted, long bytesFreed, long chunksNamed, long protectedMeanwhile,
                            long millis) {
        static Collected of(org.savesync.server.backup.ChunkCollector.Collection c) {
            return c == null ? null : new Collected(c.deleted(), c.bytesFreed(), c.named(), c.protectedMeanwhile(),
                    c.took().toMillis());
        }
    }

    /** What a run did. */
    public record RunView(Instant at, int versionsPruned, long bytesReleased, List<GroupRun> groups,
                          Collected collected, String collectError) {
    }

    @POST
    @Operation(summary = "Applies every group's retention policy now, then deletes the chunks no chunk list names;"
            + " returns what it removed, group by group (in the audit log as retention.prune and chunks.collect)")
    public RunView run() {
        RetentionJob.Report r = job.runNow(actor.current());
        return new RunView(r.at(), r.versionsPruned(), r.bytesReleased(),
                r.groups().stream().map(GroupRun::of).toList(), Collected.of(r.collected()), r.collectError());
    }
}
