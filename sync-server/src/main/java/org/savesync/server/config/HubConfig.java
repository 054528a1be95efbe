package org.savesync.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The hub's settings. {@code savesync-server --data-dir DIR ...} sets the ones it has options
 * for as system properties; every key can also be set as an environment variable
 * ({@code SAVESYNC_LISTEN}, {@code SAVESYNC_NODE_NAME}, {@code SAVESYNC_ANTI_ENTROPY_INTERVAL}, ...)
 * or in {@code application.properties}. A command-line option wins over the environment.
 */
@ConfigMapping(prefix = "savesync")
public interface HubConfig {

    /**
     * Where the hub keeps its node key, enrollment token, embedded PostgreSQL (under
     * {@code postgres/}) and chunk store. Owner-only; back it up as a whole while the hub is stopped.
     */
    @WithDefault("${user.home}/.savesync-hub")
    Path dataDir();

    /**
     * The UDP address the QUIC endpoint listens on. {@code 0.0.0.0} listens on every interface;
     * the address the hub prints for agents is then one of the interfaces' own.
     */
    @WithDefault("0.0.0.0:22000")
    String listen();

    /** The name members see for the hub in member lists. */
    @WithDefault("hub")
    String nodeName();

    /**
     * How often the hub sends every connected peer its knowledge to heal lost messages
     * (the protocol's default, {@code Protocol.ANTI_ENTROPY_INTERVAL}). Changes are pushed as
     * they happen; this is only the safety net.
     */
    @WithDefault("5s")
    Duration antiEntropyInterval();

    /**
     * A QUIC connection that hears nothing from its peer for this long is closed (the QUIC max
     * idle timeout; the shorter of the two sides' values applies). It is how a member that
     * vanished without a word is noticed. When the hub itself restarts, its members do not wait
     * for it: the restarted hub dials them with a new instance id and they drop the stale connection.
     */
    @WithDefault("30s")
    Duration quicIdleTimeout();

    /**
     * A connection that sent nothing for about this long sends a keep-alive, so a quiet but live
     * connection is not closed as idle. At most half of {@link #quicIdleTimeout()}; {@code 0s}
     * turns keep-alives off.
     */
    @WithDefault("10s")
    Duration quicKeepAliveInterval();

    /**
     * Take and send the bulk data (chunks) of member connections over a TLS 1.3 over TCP lane
     * beside QUIC: the hub accepts lanes on TCP with the number of its UDP listen port (open that
     * TCP port in the firewall too) and dials one for each member connection it dials. Same node
     * keys and pinning as QUIC, about a third of QUIC's CPU per byte (docs/bulk-lane.md). Off, or
     * when TCP is blocked, bulk data goes over QUIC.
     */
    @WithDefault("true")
    boolean bulkLane();

    /** The PostgreSQL database the hub keeps its metadata in. */
    Db db();

    /** How often the hub applies the groups' retention policies (org.savesync.server.backup). */
    Retention retention();

    /** When retention runs. */
    interface Retention {
        /**
         * Time between two runs of retention over every group, the first one this long after
         * start; {@code 0s} turns the schedule off (an admin can still run it: {@code POST
         * /api/v1/retention/run}).
         */
        @WithDefault("1h")
        Duration interval();

        /**
         * Chunks stored this recently are never deleted by the garbage collector that follows
         * each retention run, whatever the chunk lists say (a margin; the collector is safe
         * without it, see org.savesync.server.backup.ChunkCollector).
         */
        @WithDefault("1h")
        Duration chunkGrace();

        /**
         * Chunks the garbage collector deletes per transaction (1..10000). Writes of chunk lists
         * wait for the batch in progress, so smaller batches keep ingest smoother and larger ones
         * collect faster.
         */
        @WithDefault("256")
        int gcBatch();
    }

    /** Who may talk to the admin API (the main HTTP interface). */
    Http http();

    /**
     * Checks before authentication (docs/admin-auth.md) that keep a browser on the hub's machine
     * from being used against the admin API.
     */
    interface Http {
        /**
         * The host names (or IP addresses) clients may address the admin API by, in the
         * {@code Host} header; other requests get 403. Set it when the hub is reached under
         * another name (e.g. {@code hub.example.org}, behind a reverse proxy). Default:
         * {@code localhost}, {@code 127.0.0.1}, {@code [::1]}, this machine's host name and the
         * address {@code quarkus.http.host} binds (every interface address when it is a wildcard).
         */
        Optional<List<String>> allowedHosts();
    }

    /**
     * Where the datasource connects. The launcher sets these from the embedded PostgreSQL it
     * started, or from {@code SYNC_DB_URL}, {@code SYNC_DB_USER} and {@code SYNC_DB_PASSWORD};
     * {@code quarkus.datasource.*} reads them, so nothing else needs to know which it is.
     */
    interface Db {
        /** JDBC URL, {@code jdbc:postgresql://HOST:PORT/DATABASE}; set by the launcher. */
        Optional<String> url();

        /** The database user. */
        @WithDefault("postgres")
        String username();

        /** The database user's password (none with trust authentication). */
        Optional<String> password();
    }
}
