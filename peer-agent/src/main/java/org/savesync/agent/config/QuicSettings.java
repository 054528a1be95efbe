package org.savesync.agent.config;

import java.time.Duration;
import org.savesync.core.transport.TransportConfig;

/**
 * The checked form of {@link AgentConfig#quicIdleTimeout()} and
 * {@link AgentConfig#quicKeepAliveInterval()}: the transport's measured tuning with this idle
 * timeout and keep-alive, and the bulk lane as {@link AgentConfig#bulkLane()} says.
 */
public final class QuicSettings {
    private QuicSettings() {
    }

    /** The transport settings of the agent's configuration. */
    public static TransportConfig from(AgentConfig config) {
        return transport(config.quicIdleTimeout(), config.quicKeepAliveInterval()).withBulkLane(config.bulkLane());
    }

    /**
     * {@link TransportConfig#defaults()} with this idle timeout and keep-alive interval.
     *
     * @throws InvalidSettingException naming the key, when the idle timeout is not positive or the
     *                                 keep-alive is negative or more than half of the idle timeout
     */
    public static TransportConfig transport(Duration idle, Duration keepAlive) {
        TransportConfig.checkIdleTimeout(idle, keepAlive).ifPresent(p -> {
            throw new InvalidSettingException(p.key(), p.reason());
        });
        return TransportConfig.defaults().withIdleTimeout(idle, keepAlive);
    }
}
