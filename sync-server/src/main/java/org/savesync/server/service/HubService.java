package org.savesync.server.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.MembershipObserver;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.transport.TransportStats;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.membership.Member;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.transport.TransportConfig;
import org.savesync.server.config.HubConfig;
import org.savesync.server.events.HubEvents;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.NodeRegistry;
import org.savesync.server.persistence.PgInviteStore;
import org.savesync.server.persistence.PgStores;

/**
 * The running hub: owns the node key, the QUIC endpoint and the sync engine (a full replica
 * of every group, its index in {@link PgStores} and its chunks in {@link CatalogedChunkStore}),
 * the enrollment token and who may register groups, and a sampler that records when each
 * peer was last seen. Everything it starts on {@link StartupEvent} it stops on
 * {@link ShutdownEvent}. {@link #announce} prints the address agents are given with
 * {@code --hub}: {@code hub: HOST:PORT#NODE_ID}.
 */
@ApplicationScoped
public class HubService {
    private static final Logger LOG = Logger.getLogger(HubService.class);
    /**
     * How often connected peers are recorded as seen: a node's last-seen time is at most this
     * old when it goes offline (the registry writes it to the database less often).
     */
    static final Duration SEEN_INTERVAL = Duration.ofSeconds(2);
    /** How old the list of connected peers may be when asked for. */
    static final Duration PEERS_FRESH = Duration.ofSeconds(1);

    private final HubConfig config;
    private final PgStores stores;
    private final CatalogedChunkStore chunks;
    private final NodeRegistry registry;
    private final PgInviteStore invites;
    private final HubEvents events;
    private final MembershipObserver membership;
    private volatile SyncEngine engine;
    private volatile TransportStats transport;
    private volatile HubAddress address;
    private volatile HubRegistrationPolicy registrations;
    private volatile EnrollmentToken token;
    private volatile Path dataDir;
    private ScheduledExecutorService timers;
    private volatile Peers peers = new Peers(Set.of(), 0);

    private record Peers(Set<NodeId> nodes, long takenAtNanos) {
    }

    HubService(HubConfig config, PgStores stores, CatalogedChunkStore chunks, NodeRegistry registry,
               PgInviteStore invites, HubEvents events, MembershipObserver membership) {
        this.config = config;
        this.membership = membership;
        this.invites = invites;
        this.events = events;
        this.stores = stores;
        this.chunks = chunks;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent ev) {
        dataDir = ownerOnlyDir(config.dataDir().toAbsolutePath().normalize());
        token = EnrollmentToken.loadOrCreate(dataDir);
        NodeKey key = NodeKey.loadOrCreate(dataDir);
        InetSocketAddress bind;
        try {
            bind = QuicNetwork.parseAddress(config.listen());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("savesync.listen '" + config.listen() + "' is not HOST:PORT (" + e.getMessage()
                    + "); pass --listen HOST:PORT, e.g. 0.0.0.0:22000");
        }
        TransportConfig transport = transportConfig(config.quicIdleTimeout(), config.quicKeepAliveInterval())
                .withBulkLane(config.bulkLane());
        registrations = new HubRegistrationPolicy(new RegistryEnrollments(registry, events), token, System::currentTimeMillis);
        EngineConfig engineConfig = EngineConfig.defaults(config.nodeName())
                .withChunkStore(chunks)
                .withRegistrations(registrations)
                .withInvites(invites)
                .withReplicaListener(events.replicaListener())
                .withMembershipObserver(membership)
                .withTimings(config.antiEntropyInterval(), Protocol.REQUEST_TIMEOUT);
        try {
            QuicNetwork network = new QuicNetwork(key, bind, transport);
            engine = SyncEngine.start(key, network, stores, engineConfig);
            this.transport = network.transportStats();
        } catch (RuntimeException e) {
            throw new IllegalStateException(udpFailure(config.listen(), e), e);
        }
        address = new HubAddress(advertisedAddress(bind, engine.listenAddresses()), engine.nodeId());
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "savesync-hub-seen");
            t.setDaemon(true);
            return t;
        });
        long every = SEEN_INTERVAL.toMillis();
        timers.scheduleWithFixedDelay(this::recordSeen, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("hub %s: %d groups; QUIC on %s; the enrollment token for agents is in %s", engine.nodeId(),
                engine.groups().size(), String.join(", ", engine.listenAddresses()), token.file());
    }

    /**
     * The transport's measured tuning with the configured idle timeout and keep-alive.
     *
     * @throws IllegalStateException naming the key, when the idle timeout is not positive or the
     *                               keep-alive is negative or more than half of the idle timeout
     */
    static TransportConfig transportConfig(Duration idle, Duration keepAlive) {
        TransportConfig.checkIdleTimeout(idle, keepAlive).ifPresent(p -> {
            throw new IllegalStateException(p.key() + " " + p.reason());
        });
        return TransportConfig.defaults().withIdleTimeout(idle, keepAlive);
    }

    /**
     * Prints the one line agents are given with {@code --hub}: {@code hub: HOST:PORT#NODE_ID}.
     * The launcher calls it once the whole application has started, so a script that waits for
     * the line can use the hub (and its HTTP API) at once.
     */
    public void announce(PrintStream out) {
        out.println("hub: " + address);
        out.flush();
    }

    void onStop(@Observes ShutdownEvent ev) {
        SyncEngine e = engine;
        if (e == null) {
            return;
        }
        timers.shutdownNow();
        recordSeen();
        engine = null;
        // The chunk store and the index stores are beans of their own and close themselves.
        e.close();
        LOG.info("hub stopped");
    }

    /**
     * The address agents dial: the one --listen names when it is concrete, otherwise the
     * first interface address the endpoint reports (non-loopback first), never a wildcard.
     */
    static String advertisedAddress(InetSocketAddress bind, List<String> listening) {
        String host = bind.getAddress().getHostAddress();
        String wanted = (host.contains(":") ? "[" + host + "]" : host) + ":" + bind.getPort();
        if (!bind.getAddress().isAnyLocalAddress()) {
            return wanted;
        }
        return listening.stream().filter(a -> !a.startsWith("127.") && !a.startsWith("[::1]")).findFirst()
                .or(() -> listening.stream().findFirst())
                .orElse("127.0.0.1:" + bind.getPort());
    }

    /** The one line for a QUIC endpoint that could not bind {@code listen}: what happened and what to do. */
    static String udpFailure(String listen, Throwable failure) {
        String innermost = Failure.describe(failure);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof java.net.BindException || m.contains("Address already in use")) {
                return "the UDP port " + listen + " is in use (another hub?); choose another with --listen HOST:PORT";
            }
            if (m.contains("Cannot assign requested address")) {
                return "cannot listen on UDP " + listen + ": that address is not one of this machine's; choose"
                        + " another with --listen HOST:PORT (0.0.0.0:PORT listens on every interface)";
            }
            if (m.contains("Permission denied")) {
                return "cannot listen on UDP " + listen + ": permission denied (ports below 1024 need privileges);"
                        + " choose another with --listen HOST:PORT";
            }
            if (!m.isBlank()) {
                innermost = m;
            }
        }
        return "cannot start the hub's QUIC endpoint on UDP " + listen + ": " + innermost;
    }

    // ------------------------------------------------------------------ for other beans

    /** The engine; null before start and after stop. */
    public SyncEngine engine() {
        return engine;
    }

    /** The transport's counters (connections, refusals, bulk bytes by path); null before start. */
    public TransportStats transportStats() {
        return transport;
    }

    /** True between a successful start and the stop. */
    public boolean running() {
        return engine != null;
    }

    /** What the hub printed at start: {@code HOST:PORT#NODE_ID}; null before start. */
    public HubAddress address() {
        return address;
    }

    public Path dataDir() {
        return dataDir;
    }

    public EnrollmentToken enrollmentToken() {
        return token;
    }

    /** Who may register groups here (the policy the engine was given). */
    public HubRegistrationPolicy registrations() {
        return registrations;
    }

    /** Nodes connected right now (at most {@link #PEERS_FRESH} old); empty while the hub is not running. */
    public Set<NodeId> connectedNodes() {
        Peers p = peers;
        if (System.nanoTime() - p.takenAtNanos() > PEERS_FRESH.toNanos()) {
            p = samplePeers();
        }
        return p.nodes();
    }

    private synchronized Peers samplePeers() {
        SyncEngine e = engine;
        Set<NodeId> nodes = e == null ? Set.of()
                : e.connectedPeers().stream().map(SyncEngine.PeerLink::node).collect(Collectors.toUnmodifiableSet());
        Peers p = new Peers(nodes, System.nanoTime());
        peers = p;
        return p;
    }

    private void recordSeen() {
        SyncEngine e = engine;
        if (e == null) {
            return;
        }
        try {
            Map<NodeId, String> names = new HashMap<>();
            for (GroupHandle g : e.groups()) {
                for (Member m : g.members().members()) {
                    names.putIfAbsent(m.id(), m.name());
                }
            }
            long now = System.currentTimeMillis();
            List<SyncEngine.PeerLink> links = e.connectedPeers();
            for (SyncEngine.PeerLink l : links) {
                registry.seen(l.node(), names.getOrDefault(l.node(), ""), l.listenAddresses(), now);
            }
            peers = new Peers(links.stream().map(SyncEngine.PeerLink::node).collect(Collectors.toUnmodifiableSet()),
                    System.nanoTime());
        } catch (RuntimeException ex) {
            LOG.warnf("recording which peers were seen failed: %s", ex.toString());
        }
    }

    private static Path ownerOnlyDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + dir + ": " + Failure.describe(e), e);
        }
    }

    /** The node registry as the registration policy sees it. */
    private record RegistryEnrollments(NodeRegistry registry, HubEvents events)
            implements HubRegistrationPolicy.Enrollments {
        @Override
        public boolean isEnrolled(NodeId node) {
            return registry.isEnrolled(node);
        }

        @Override
        public boolean isRevoked(NodeId node) {
            return registry.isRevoked(node);
        }

        @Override
        public void enroll(NodeId node, String name, long nowMillis) {
            registry.enroll(node, name, nowMillis);
            events.nodeEnrolled(node, name);
        }
    }
}
