package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.auth.Roles;
import org.savesync.server.persistence.CheckReport;
import org.savesync.server.persistence.ReplicaCheck;

/** The replica check, on demand. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/check")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "check", description = "Verify the replica")
public class CheckResource {
    private final ReplicaCheck check;

    CheckResource(ReplicaCheck check) {
        this.check = check;
    }

    /** The report, with {@code ok} true when nothing was found; 200 either way. */
    public record CheckView(boolean ok, long chunksChecked, long bytesChecked, CheckReport.Finding truncated,
                            CheckReport.Finding corrupt, CheckReport.Finding missing, CheckReport.Finding unreferenced,
                            CheckReport.Finding unrecorded) {
    }

    @GET
    @Operation(summary = "Re-hash every stored chunk and compare the store with its catalog and the chunk lists"
            + " (reads the whole chunk store)")
    public CheckView check() {
        CheckReport r = check.run();
        return new CheckView(r.ok(), r.chunksChecked(), r.bytesChecked(), r.truncated(), r.corrupt(), r.missing(),
                r.unreferenced(), r.unrecorded());
    }
}
