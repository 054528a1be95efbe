package org.savesync.agent.config;

import java.util.Optional;
import org.savesync.core.membership.HubAddress;

/**
 * The checked form of {@link AgentConfig#hub()} and {@link AgentConfig#enrollToken()}: the hub's
 * address and key, and the enrollment token ({@code ""} when none was given).
 *
 * @param hub         where the hub is and which node id it must have
 * @param enrollToken the hub's enrollment token, or {@code ""}
 */
public record HubSettings(HubAddress hub, String enrollToken) {

    /** The settings from the agent's configuration; empty when no hub is configured. */
    public static Optional<HubSettings> from(AgentConfig config) {
        return parse(config.hub(), config.enrollToken());
    }

    /**
     * Checks a hub address ({@code HOST:PORT#NODE_ID}) and an enrollment token.
     *
     * @throws InvalidSettingException with the parser's message, when the hub is not
     *                                 {@code HOST:PORT#NODE_ID}, or when a token comes without a hub
     */
    public static Optional<HubSettings> parse(Optional<String> hub, Optional<String> enrollToken) {
        String token = enrollToken.map(String::strip).orElse("");
        if (hub.isEmpty() || hub.get().isBlank()) {
            if (!token.isEmpty()) {
                throw new InvalidSettingException("savesync.enroll-token",
                        "an enrollment token is only used with a hub; add --hub HOST:PORT#NODE_ID (or SAVESYNC_HUB)");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new HubSettings(HubAddress.parse(hub.get()), token));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("savesync.hub", e.getMessage());
        }
    }

    /** The token is a secret: it never appears in logs or status output. */
    @Override
    public String toString() {
        return "HubSettings[hub=" + hub + ", enrollToken=" + (enrollToken.isEmpty() ? "none" : "set") + "]";
    }
}
