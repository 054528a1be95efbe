package org.savesync.server.admin;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One node enrolled with the hub (each field as described in the OpenAPI). */
@Schema(description = "A node that enrolled with the hub's enrollment token (it may register groups unless revoked)")
public record EnrollmentView(
        @Schema(description = "The node id (base32 of its Ed25519 public key)") String nodeId,
        @Schema(description = "The name it gave the hub, else its name on a member list; null when neither is"
                + " known", nullable = true) String name,
        @Schema(description = "When it first enrolled") Instant enrolledAt,
        @Schema(description = "When it was last connected to the hub; null when never", nullable = true)
        Instant lastSeen,
        @Schema(description = "Connected to the hub now") boolean online,
        @Schema(description = "Ids of the groups whose member list it is on (those it registered among them)")
        List<String> groups,
        @Schema(description = "An administrator revoked its enrollment: it cannot register new groups (its groups"
                + " keep syncing)") boolean revoked,
        @Schema(description = "When it was revoked; null when it is not", nullable = true) Instant revokedAt,
        @Schema(description = "Who revoked it; null when it is not", nullable = true) String revokedBy) {
}
