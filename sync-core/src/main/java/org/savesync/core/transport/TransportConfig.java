package org.savesync.core.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link QuicEndpoint}. The defaults are the tuning measured on our machines
 * (see {@code shared/notes/quic-transport.md}): codec defaults are several times slower because
 * small socket buffers drop packets.
 *
 * @param idleTimeout QUIC max idle timeout: a connection that hears nothing for this long closes (30 s)
 * @param keepAliveInterval each side sends an empty frame on the control stream when it sent nothing
 *        for about this long (10 s); at most half of {@code idleTimeout}; {@link Duration#ZERO} disables
 * @param handshakeTimeout limit for TLS plus the transport hello/accept exchange (10 s)
 * @param dataStreams how many data streams each side opens at most per connection for bulk frames (4)
 * @param eventLoopThreads threads of the endpoint's event loop group (2)
 * @param preferEpoll use the native epoll transport when available, else NIO (true)
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF of the UDP socket (4 MiB; the kernel caps it at
 *        {@code net.core.rmem_max}/{@code wmem_max})
 * @param maxUdpPayloadBytes largest UDP payload sent or accepted (1452: 1500-byte MTU minus IPv6/UDP headers)
 * @param initialMaxData connection-level receive window (256 MiB)
 * @param initialMaxStreamData per-stream receive window (64 MiB)
 * @param maxStreamsBidirectional bidirectional streams a peer may open (the control stream needs one) (16)
 * @param maxStreamsUnidirectional unidirectional streams a peer may open (data streams) (64)
 * @param congestionControl congestion controller (RENO: measured best here; BBR was the worst)
 * @param gsoSegments UDP GSO: datagrams per send call (10; more caused loss; 0 disables; epoll only)
 * @param udpGro UDP GRO on receive (true; epoll only; needs {@code groReceiveBufferBytes})
 * @param groReceiveBufferBytes fixed receive buffer when GRO is on (64 KiB; a 2 KiB buffer truncates)
 * @param maxPendingSendBytes payload bytes submitted to one connection and not yet taken by QUIC (the
 *        peer's flow control holds them back while it does not read); past this the connection is
 *        closed (0x6 BUSY) so a peer that reads nothing cannot grow our memory (128 MiB: above what
 *        chunk serving may legitimately have in flight, 64 requests of 1 MiB per group)
 * @param maxPendingHandshakes inbound QUIC connections still in their TLS handshake; more are dropped
 *        before any cryptography is done for them (64); the bulk lane's TCP listener has a cap of the
 *        same size of its own
 * @param bulkLane carry {@code sendBulk} frames of member connections over a TLS 1.3 over TCP bulk
 *        lane beside QUIC (see {@link BulkLanes}): listen on TCP with the UDP port's number, and dial
 *        one lane per member connection we dial (true; off: QUIC only)
 */
public record TransportConfig(
        Duration idleTimeout,
        Duration keepAliveInterval,
        Duration handshakeTimeout,
        int dataStreams,
        int eventLoopThreads,
        boolean preferEpoll,
        int socketBufferBytes,
        int maxUdpPayloadBytes,
        long initialMaxData,
        long initialMaxStreamData,
        long maxStreamsBidirectional,
        long maxStreamsUnidirectional,
        CongestionControl congestionControl,
        int gsoSegments,
        boolean udpGro,
        int groReceiveBufferBytes,
        long maxPendingSendBytes,
        int maxPendingHandshakes,
        boolean bulkLane) {

    /** Congestion controllers of the QUIC library. */
    public enum CongestionControl { RENO, CUBIC, BBR }

    public TransportConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(congestionControl, "congestionControl");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        if (keepAliveInterval.isNegative()
                || (!keepAliveInterval.isZero() && keepAliveInterval.multipliedBy(2).compareTo(idleTimeout) > 0)) {
            throw new IllegalArgumentException("keepAliveInterval (" + keepAliveInterval
                    + ") must be zero (off) or at most half of idleTimeout (" + idleTimeout
                    + "), otherwise idle connections time out between keep-alives");
        }
        if (dataStreams < 1 || dataStreams > maxStreamsUnidirectional) {
            throw new IllegalArgumentException("dataStreams must be between 1 and maxStreamsUnidirectional ("
                    + maxStreamsUnidirectional + "), got " + dataStreams);
        }
        if (maxStreamsBidirectional < 1) {
            throw new IllegalArgumentException("maxStreamsBidirectional must be at least 1 (the control stream)");
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be at least 1, got " + eventLoopThreads);
        }
        if (maxUdpPayloadBytes < 1200 || maxUdpPayloadBytes > 65527) {
            throw new IllegalArgumentException("maxUdpPayloadBytes must be between 1200 (QUIC minimum) and 65527, got "
                    + maxUdpPayloadBytes);
        }
        if (socketBufferBytes < 0 || gsoSegments < 0 || groReceiveBufferBytes < 0) {
            throw new IllegalArgumentException("socket buffer, GSO segments and GRO buffer sizes cannot be negative");
        }
        if (udpGro && groReceiveBufferBytes < maxUdpPayloadBytes) {
            throw new IllegalArgumentException("groReceiveBufferBytes (" + groReceiveBufferBytes
                    + ") must hold at least one datagram (" + maxUdpPayloadBytes + "); GRO with small buffers truncates");
        }
        if (maxPendingSendBytes < Frames.MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxPendingSendBytes must hold at least one frame ("
                    + Frames.MAX_FRAME_SIZE + "), got " + maxPendingSendBytes);
        }
        if (maxPendingHandshakes < 1) {
            throw new IllegalArgumentException("maxPendingHandshakes must be at least 1, got " + maxPendingHandshakes);
        }
        if (initialMaxStreamData < Frames.MAX_FRAME_SIZE || initialMaxData < initialMaxStreamData) {
            throw new IllegalArgumentException("windows too small: initialMaxStreamData must be at least one frame ("
                    + Frames.MAX_FRAME_SIZE + ") and initialMaxData at least initialMaxStreamData");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** The measured tuning; see the record's parameters for each value. */
    public static TransportConfig defaults() {
        return new TransportConfig(
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                4,
                2,
                true,
                4 * 1024 * 1024,
                1452,
                256L * 1024 * 1024,
                64L * 1024 * 1024,
                16,
                64,
                CongestionControl.RENO,
                10,
                true,
                64 * 1024,
                128L * 1024 * 1024,
                64,
                true);
    }

    /** The setting the agent and the hub read the idle timeout from. */
    public static final String IDLE_TIMEOUT_KEY = "savesync.quic-idle-timeout";
    /** The setting the agent and the hub read the keep-alive interval from. */
    public static final String KEEP_ALIVE_KEY = "savesync.quic-keep-alive-interval";

    /** A configured value that cannot work: its key and why ("must be …, got …"). */
    public record SettingProblem(String key, String reason) {
    }

    /**
     * Checks a configured idle timeout and keep-alive interval before {@link #withIdleTimeout}: the
     * idle timeout must be positive, the keep-alive 0 (off) or at most half of it (otherwise quiet
     * connections time out between keep-alives).
     */
    public static Optional<SettingProblem> checkIdleTimeout(Duration idle, Duration keepAlive) {
        if (idle.isZero() || idle.isNegative()) {
            return Optional.of(new SettingProblem(IDLE_TIMEOUT_KEY, "must be positive (e.g. 30s), got " + shown(idle)));
        }
        if (keepAlive.isNegative() || (!keepAlive.isZero() && keepAlive.multipliedBy(2).compareTo(idle) > 0)) {
            return Optional.of(new SettingProblem(KEEP_ALIVE_KEY, "must be 0s (off) or at most half of "
                    + IDLE_TIMEOUT_KEY + " (" + shown(idle) + "), got " + shown(keepAlive)
                    + "; otherwise quiet connections time out between keep-alives"));
        }
        return Optional.empty();
    }

    /** {@code 30s}, {@code 500ms}: how the keys are written, not {@code PT30S}. */
    static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    public TransportConfig withIdleTimeout(Duration idle, Duration keepAlive) {
        return new TransportConfig(idle, keepAlive, handshakeTimeout, dataStreams, eventLoopThreads, preferEpoll,
                socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData, maxStreamsBidirectional,
                maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro, groReceiveBufferBytes,
                maxPendingSendBytes, maxPendingHandshakes, bulkLane);
    }

    public TransportConfig withHandshakeTimeout(Duration timeout) {
        return new TransportConfig(idleTimeout, keepAliveInterval, timeout, dataStreams, eventLoopThreads, preferEpoll,
                socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData, maxStreamsBidirectional,
                maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro, groReceiveBufferBytes,
                maxPendingSendBytes, maxPendingHandshakes, bulkLane);
    }

    public TransportConfig withDataStreams(int streams) {
        return new TransportConfig(idleTimeout, keepAliveInterval, handshakeTimeout, streams, eventLoopThreads,
                preferEpoll, socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData,
                maxStreamsBidirectional, maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro,
                groReceiveBufferBytes,
                maxPendingSendBytes, maxPendingHandshakes, bulkLane);
    }

    public TransportConfig withEventLoopThreads(int threads) {
        return new TransportConfig(idleTimeout, keepAliveInterval, handshakeTimeout, dataStreams, threads, preferEpoll,
                socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData, maxStreamsBidirectional,
                maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro, groReceiveBufferBytes,
                maxPendingSendBytes, maxPendingHandshakes, bulkLane);
    }

    /** Without epoll, GSO and GRO: the portable NIO path (also what non-Linux hosts get). */
    public TransportConfig withNio() {
        return new TransportConfig(idleTimeout, keepAliveInterval, handshakeTimeout, dataStreams, eventLoopThreads,
                false, socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData,
                maxStreamsBidirectional, maxStreamsUnidirectional, congestionControl, 0, false, groReceiveBufferBytes,
                maxPendingSendBytes, maxPendingHandshakes, bulkLane);
    }

    public TransportConfig withMaxPendingSendBytes(long bytes) {
        return new TransportConfig(idleTimeout, keepAliveInterval, handshakeTimeout, dataStreams, eventLoopThreads,
                preferEpoll, socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData,
                maxStreamsBidirectional, maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro,
                groReceiveBufferBytes, bytes, maxPendingHandshakes, bulkLane);
    }

    /** With the TLS over TCP bulk lane on (the default) or off (bulk frames on QUIC data streams only). */
    public TransportConfig withBulkLane(boolean on) {
        return new TransportConfig(idleTimeout, keepAliveInterval, handshakeTimeout, dataStreams, eventLoopThreads,
                preferEpoll, socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData,
                maxStreamsBidirectional, maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro,
                groReceiveBufferBytes, maxPendingSendBytes, maxPendingHandshakes, on);
    }

    /** A smaller cap of handshakes in progress (QUIC and the bulk lane's TCP listener each). */
    public TransportConfig withMaxPendingHandshakes(int handshakes) {
        return new TransportConfig(idleTimeout, keepAliveInterval, handshakeTimeout, dataStreams, eventLoopThreads,
                preferEpoll, socketBufferBytes, maxUdpPayloadBytes, initialMaxData, initialMaxStreamData,
                maxStreamsBidirectional, maxStreamsUnidirectional, congestionControl, gsoSegments, udpGro,
                groReceiveBufferBytes, maxPendingSendBytes, handshakes, bulkLane);
    }
}
