package org.savesync.agent.hub;

import java.time.Instant;

/**
 * Where the registration of one group with the hub stands, as {@link HubRegistrar} last saw it.
 *
 * @param phase       pending (under way or waiting to retry), registered, or refused by the hub
 * @param reason      the hub's reason when refused; the last error while pending (null before the first answer)
 * @param failures    failed attempts in a row
 * @param nextAttempt when the next attempt is due while pending after a failure, else null
 */
public record Registration(Phase phase, String reason, int failures, Instant nextAttempt) {

    /** The three states the status shows. */
    public enum Phase { PENDING, REGISTERED, REFUSED }

    static Registration firstAttempt() {
        return new Registration(Phase.PENDING, null, 0, null);
    }

    static Registration registered() {
        return new Registration(Phase.REGISTERED, null, 0, null);
    }

    static Registration refused(String reason) {
        return new Registration(Phase.REFUSED, reason, 0, null);
    }

    static Registration retrying(String error, int failures, Instant nextAttempt) {
        return new Registration(Phase.PENDING, error, failures, nextAttempt);
    }

    /** {@code registered}, {@code pending} or {@code refused: <the hub's reason>}. */
    public String describe() {
        return switch (phase) {
            case REGISTERED -> "registered";
            case PENDING -> "pending";
            case REFUSED -> "refused: " + reason;
        };
    }
}
