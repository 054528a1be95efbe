package org.savesync.server.admin;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to a rotation of the enrollment token: the new token, shown this once (as an auth
 * key is), and where the hub keeps it.
 */
@Schema(description = "The new enrollment token, shown once: agents enroll with `savesync run --hub ..."
        + " --enroll-token TOKEN`. The old token no longer works; enrolled agents are not affected")
public record RotatedToken(
        @Schema(description = "The new token") String token,
        @Schema(description = "The file on the hub that holds it (owner-only)") String file,
        @Schema(description = "When it was made") Instant rotatedAt) {
    @Override
    public String toString() {
        return "RotatedToken[" + file + ", " + rotatedAt + "]"; // never the token
    }
}
