package org.savesync.server.admin;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One node the hub knows (each field as described in the OpenAPI). */
@Schema(description = "A node the hub knows: itself, an enrolled agent, or a member of one of its groups")
public record NodeView(
        @Schema(description = "The node id (base32 of its Ed25519 public key)") String nodeId,
        @Schema(description = "The name it gave the hub, else its name on a member list; null when neither is"
                + " known", nullable = true) String name,
        @Schema(description = "This node is the hub itself") boolean hub,
        @Schema(description = "It may register groups with this hub: it enrolled with the hub's enrollment token"
                + " (the hub itself: true). A member that joined a group with an invite ticket and never"
                + " enrolled is false, as is one whose enrollment an administrator revoked: that limits nothing in"
                + " its groups, it only cannot register new ones")
        boolean enrolled,
        @Schema(description = "When it first enrolled; null when it never did (and for the hub itself)",
                nullable = true) Instant enrolledAt,
        @Schema(description = "When it was last connected to the hub: the time of the answer while it is online"
                + " (always for the hub itself), else the last time the hub saw it (at most a few seconds before"
                + " it went away); null when it never connected", nullable = true) Instant lastSeen,
        @Schema(description = "Connected to the hub now (the hub itself: always true)") boolean online,
        @Schema(description = "Ids of the groups it is on the member list of") List<String> groups,
        @Schema(description = "The addresses it said it listens on when it last connected (the hub itself: where"
                + " its QUIC endpoint listens)") List<String> addresses) {
}
