package org.savesync.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's settings. {@code savesync --data-dir DIR run ...} sets them as system
 * properties; each can also be set as an environment variable ({@code SAVESYNC_LISTEN},
 * {@code SAVESYNC_RESCAN_INTERVAL}, {@code SAVESYNC_HUB}, ...).
 * {@link HubSettings} checks the hub keys.
 */
@ConfigMapping(prefix = "savesync")
public interface AgentConfig {

    /** Where the agent keeps its node key, index database, API token and port. */
    Path dataDir();

    /**
     * The UDP address the QUIC endpoint listens on. {@code 0.0.0.0} listens on every
     * interface (the addresses given to peers are then the interfaces' own).
     */
    @WithDefault("0.0.0.0:22100")
    String listen();

    /** The name other members see for this node (the host name when unset). */
    Optional<String> nodeName();

    /** Quiet time after a file-system event before the folder is scanned. */
    @WithDefault("200ms")
    Duration watchDebounce();

    /** A full rescan of every folder this often catches what the watcher missed. */
    @WithDefault("5m")
    Duration rescanInterval();

    /** How often the console shows transfer progress while a group is syncing. */
    @WithDefault("2s")
    Duration progressInterval();

    /**
     * How often every connected member is sent this node's knowledge, which heals lost
     * messages. Changes and new members travel by push as they happen; this is only the
     * safety net, so a long interval costs nothing but slower healing.
     */
    @WithDefault("5s")
    Duration antiEntropyInterval();

    /**
     * A QUIC connection that hears nothing from its peer for this long is closed (the QUIC max
     * idle timeout; the shorter of the two sides' values applies). It is how a peer that vanished
     * without a word (a crash, a cable pulled) is noticed. A peer that restarts is noticed sooner:
     * its new connection carries a new instance id and the stale one is dropped at once.
     */
    @WithDefault("30s")
    Duration quicIdleTimeout();

    /**
     * A connection that sent nothing for about this long sends a keep-alive, so a quiet but live
     * connection is not closed as idle. At most half of {@link #quicIdleTimeout()}; {@code 0s} turns
     * keep-alives off.
     */
    @WithDefault("10s")
    Duration quicKeepAliveInterval();

    /**
     * Carry the bulk data (file chunks) of member connections over a TLS 1.3 over TCP lane beside
     * QUIC: this node accepts lanes on TCP with the number of its UDP listen port, and dials one
     * for each member connection it dials. Same node keys and pinning as QUIC; about a third of
     * QUIC's CPU per byte here (docs/bulk-lane.md). Off, or when TCP is blocked, bulk data goes
     * over QUIC as everything else.
     */
    @WithDefault("true")
    boolean bulkLane();

    /** Watch folders for changes (off: only the periodic rescan and `savesync scan` find changes). */
    @WithDefault("true")
    boolean watch();

    /**
     * The sync server (hub) this node registers its groups with, written {@code HOST:PORT#NODE_ID}
     * as the hub prints it at start. Every group this node is the authority of is handed over to
     * the hub, which from then on admits members and keeps a full copy. Unset: no hub; groups
     * sync directly between members and their creators stay their authorities.
     */
    Optional<String> hub();

    /**
     * The hub's enrollment token (the hub writes it to its {@code DIR/enrollment-token} at first
     * start). Needed only until the hub has enrolled this node; passing it every time is harmless.
     * Only meaningful together with {@link #hub()}.
     */
    Optional<String> enrollToken();
}
