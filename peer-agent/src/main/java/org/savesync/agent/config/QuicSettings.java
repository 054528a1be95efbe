package org.savesync.agent.config;

import java.time.Duration;
import org.savesync.core.transport.TransportConfig;

/**
 * The checked form of {@link AgentConfig#quicIdleTimeout()} and
 * {@link AgentConfig#quicKeepAliveInterval()}: the transport's measured tuning with this idle
 * timeout and keep-alive.
 */
public final class QuicSettings {
    private QuicSettings() {
    }

    /** The transport settings of the agent's configuration. */
    public static TransportConfig from(AgentConfig config) {
        return transport(config.quicIdleTimeout(), config.quicKeepAliveInterval());
    }

    /**
     * {@link TransportConfig#defaults()} with this idle timeout and keep-alive interval.
     *
     * @throws InvalidSettingException naming the key, when the idle timeout is not positive or the
     *                                 keep-alive is negative or more than half of the idle timeout
     */
    public static TransportConfig transport(Duration idle, Duration keepAlive) {
        if (idle.isZero() || idle.isNegative()) {
            throw new InvalidSettingException("savesync.quic-idle-timeout", "must be positive (e.g. 30s), got "
                    + shown(idle));
        }
        if (keepAlive.isNegative() || (!keepAlive.isZero() && keepAlive.multipliedBy(2).compareTo(idle) > 0)) {
            throw new InvalidSettingException("savesync.quic-keep-alive-interval", "must be 0s (off) or at most half of"
                    + " savesync.quic-idle-timeout (" + shown(idle) + "), got " + shown(keepAlive)
                    + "; otherwise quiet connections time out between keep-alives");
        }
        return TransportConfig.defaults().withIdleTimeout(idle, keepAlive);
    }

    /** {@code 30s}, {@code 500ms}: how the keys are written, not {@code PT30S}. */
    static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
