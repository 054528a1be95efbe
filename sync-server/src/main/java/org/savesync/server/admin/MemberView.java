package org.savesync.server.admin;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One member of a group, as the hub sees it now (each field as described in the OpenAPI). */
@Schema(description = "A member of a group, as the hub sees it now")
public record MemberView(
        @Schema(description = "The member's node id (base32 of its Ed25519 public key)") String nodeId,
        @Schema(description = "The name the member list gives it") String name,
        @Schema(description = "Its role on the member list: OWNER (created the group), MEMBER, or HUB (this hub,"
                + " the group's authority and backup)") String role,
        @Schema(description = "When it was added to the member list") Instant addedAt,
        @Schema(description = "When it was last connected to the hub: the time of the answer while it is online"
                + " (always for the hub itself), else the last time the hub saw it (at most a few seconds before"
                + " it went away); null when it never connected to the hub", nullable = true) Instant lastSeen,
        @Schema(description = "Connected to the hub now (the hub itself: always true)") boolean online,
        @Schema(description = "Its last reported knowledge of the group covers every entry the hub holds"
                + " (the hub itself: always true); false for a member that never reported or is behind")
        boolean upToDate,
        @Schema(description = "Bytes of the group it holds as far as the hub knows: for the hub, the bytes of"
                + " the group's chunks in its store; for an up-to-date member, the size of the current files;"
                + " null when unknown", nullable = true) Long bytesHeld) {
}
