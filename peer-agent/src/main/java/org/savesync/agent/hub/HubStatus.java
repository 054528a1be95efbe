package org.savesync.agent.hub;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.HubAddress;

/**
 * The {@code hub} object of {@code GET /status}: the configured hub, whether it is connected,
 * and how the registration of each group stands.
 *
 * @param address   the hub's {@code HOST:PORT}
 * @param nodeId    the hub's node id
 * @param connected whether the hub is among the connected peers right now
 * @param groups    one row per group of this node
 */
public record HubStatus(String address, String nodeId, boolean connected, List<GroupRegistration> groups) {

    /** State {@code registered}, as the status shows it. */
    public static final String REGISTERED = "registered";
    /** State of a group whose authority is another agent. */
    public static final String SKIPPED = "skipped";

    /**
     * One group's registration.
     *
     * @param id                 the group id
     * @param name               the group name
     * @param state              {@code registered}, {@code pending}, {@code refused: <the hub's reason>},
     *                           or {@code skipped} (another member is the authority and registers it)
     * @param detail             what is going on: the last error while pending, what to do when refused
     * @param nextAttemptSeconds while pending after a failure: seconds until the next attempt
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupRegistration(String id, String name, String state, String detail, Long nextAttemptSeconds) {

        static GroupRegistration of(RegistrationTarget.Group g, NodeId self, HubAddress hub, Registration r,
                                    String refusalAdvice, Instant now) {
            String id = g.id().toString();
            if (g.authority().equals(hub.node())) {
                return new GroupRegistration(id, g.name(), REGISTERED, "the hub is the group's authority", null);
            }
            if (!g.authority().equals(self)) {
                return new GroupRegistration(id, g.name(), SKIPPED, "the group's authority is another member ("
                        + g.authority() + "); it registers the group with the hub", null);
            }
            if (r == null) {
                return new GroupRegistration(id, g.name(), "pending", "not tried yet", null);
            }
            return switch (r.phase()) {
                case REGISTERED -> new GroupRegistration(id, g.name(), REGISTERED, "handed over to the hub", null);
                case REFUSED -> new GroupRegistration(id, g.name(), r.describe(), refusalAdvice, null);
                case PENDING -> r.nextAttempt() == null
                        ? new GroupRegistration(id, g.name(), r.describe(), "asking the hub", null)
                        : new GroupRegistration(id, g.name(), r.describe(), "attempt " + r.failures() + " failed: "
                                + r.reason(), Math.max(0, secondsUntil(now, r.nextAttempt())));
            };
        }

        private static long secondsUntil(Instant now, Instant then) {
            Duration d = Duration.between(now, then);
            return d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        }
    }
}
