package org.savesync.agent.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.savesync.agent.config.AgentConfig;
import org.savesync.agent.config.HubSettings;
import org.savesync.agent.config.QuicSettings;
import org.savesync.agent.hub.HubRegistrar;
import org.savesync.agent.hub.HubStatus;
import org.savesync.agent.hub.RegistrationTarget;
import org.savesync.core.engine.EngineConfig;
import org.savesync.core.failure.Failure;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.engine.JoinException;
import org.savesync.core.engine.QuicNetwork;
import org.savesync.core.transport.TransportStats;
import org.savesync.core.identity.NodeId;
import org.savesync.core.engine.SyncEngine;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.transport.TransportConfig;

/**
 * The running agent: owns the node key, the index store, the QUIC endpoint and the sync
 * engine, one folder watcher per group, the periodic rescan, the console progress and, when a
 * hub is configured, the {@link HubRegistrar}. Everything it starts on {@link StartupEvent} it
 * stops on {@link ShutdownEvent}.
 */
@ApplicationScoped
public class AgentService {
    private static final Logger LOG = Logger.getLogger(AgentService.class);
    /** How long a join may take (dial the authority, be admitted, receive the group secret). */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    /** How long an invite may take (the hub, when it is the authority, is asked over the network). */
    static final Duration INVITE_TIMEOUT = Duration.ofSeconds(20);
    /** How long `savesync scan` waits for a scan to be published (a first scan of a big tree hashes it all). */
    static final Duration SCAN_TIMEOUT = Duration.ofMinutes(10);
    /** How long a stop waits for a timer task in progress (a catch-up or rescan starting a watcher). */
    static final Duration TIMERS_STOP_WAIT = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final StoreFactory storeFactory;
    private final int apiPort;
    private final Map<GroupId, FolderMonitor> monitors = new ConcurrentHashMap<>();
    private DataDir dataDir;
    private String token;
    private StoreProvider stores;
    private SyncEngine engine;
    private QuicNetwork network;
    private ScheduledExecutorService timers;
    private ProgressReporter progress;
    private long startedAtNanos;
    private Optional<HubSettings> hub = Optional.empty();
    private HubRegistrar registrar;

    AgentService(AgentConfig config, StoreFactory storeFactory,
                 @ConfigProperty(name = "quarkus.http.port") int apiPort) {
        this.config = config;
        this.storeFactory = storeFactory;
        this.apiPort = apiPort;
    }

    void onStart(@Observes StartupEvent ev) {
        startedAtNanos = System.nanoTime();
        hub = HubSettings.from(config); // a bad hub address stops the start here, with the parser's message
        TransportConfig transport = QuicSettings.from(config);
        dataDir = new DataDir(config.dataDir()).create();
        token = dataDir.tokenOrCreate();
        NodeKey key = NodeKey.loadOrCreate(dataDir.path());
        stores = storeFactory.open(dataDir.path());
        InetSocketAddress bind = QuicNetwork.parseAddress(config.listen());
        network = new QuicNetwork(key, bind, transport);
        try {
            engine = SyncEngine.resume(key, network, stores, EngineConfig.defaults(nodeName())
                    .withTimings(config.antiEntropyInterval(), Protocol.REQUEST_TIMEOUT)
                    .withLeaves(org.savesync.core.engine.PendingLeaves.inDirectory(dataDir.path().resolve("pending-leaves")))
                    .withRemovals(org.savesync.core.engine.Removals.inDirectory(dataDir.path().resolve("removed-groups"))));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the sync engine on " + config.listen() + ": " + Failure.describe(e)
                    + " (is another agent using this port? choose another with --listen HOST:PORT)", e);
        }
        timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "savesync-agent-timers");
            t.setDaemon(true);
            return t;
        });
        progress = new ProgressReporter(engine, System.out);
        long every = config.progressInterval().toMillis();
        timers.scheduleWithFixedDelay(this::reportProgress, every, every, TimeUnit.MILLISECONDS);
        long rescan = config.rescanInterval().toMillis();
        timers.scheduleWithFixedDelay(this::rescanAll, rescan, rescan, TimeUnit.MILLISECONDS);
        dataDir.writeApiInfo(new DataDir.ApiInfo(apiPort, ProcessHandle.current().pid()));

        System.out.println("agent: node " + engine.nodeId());
        System.out.println("agent: listening on " + String.join(", ", engine.listenAddresses()) + " (QUIC/UDP)");
        System.out.println("agent: local API on http://127.0.0.1:" + apiPort + " (token in " + dataDir.path()
                .resolve(DataDir.TOKEN_FILE) + ")");
        for (GroupHandle g : engine.groups()) {
            System.out.println("agent: group " + g.name() + " (" + g.id() + ") in " + g.folder());
        }
        hub.ifPresent(h -> {
            registrar = new HubRegistrar(RegistrationTarget.of(engine), h.hub(), h.enrollToken());
            registrar.start();
            System.out.println("agent: hub " + h.hub() + "; groups this node is the authority of are registered there"
                    + " (`savesync status` shows how it stands)");
        });
        System.out.println("agent: ready; stop with Ctrl-C");
        timers.execute(this::catchUp);
    }

    /**
     * After "ready", off the start: watch every group's folder, then scan it, which finds what
     * changed while the agent was down (in that order, so a change made during the scan is
     * seen by the watcher). `savesync status` shows the scan as work in progress.
     */
    private void catchUp() {
        for (GroupHandle g : engine.groups()) {
            startMonitor(g);
        }
        engine.catchUp().whenComplete((v, e) -> {
            if (e != null) {
                LOG.warnf("the first scan after the start failed (the periodic rescan tries again): %s",
                        Failure.describe(e));
            }
        });
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (engine == null) {
            return;
        }
        if (registrar != null) {
            registrar.stop();
        }
        // The timers first: the catch-up and the rescan start watchers, which must not outlive this stop.
        timers.shutdownNow();
        try {
            timers.awaitTermination(TIMERS_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monitors.values().forEach(FolderMonitor::close);
        monitors.clear();
        engine.close();
        storeFactory.close();
        dataDir.removeApiInfo();
        System.out.println("agent: stopped");
    }

    private String nodeName() {
        return config.nodeName().orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "savesync-agent";
            }
        });
    }

    // ------------------------------------------------------------------ for the API

    /** The transport's counters (connections, refusals, bulk bytes by path). */
    public TransportStats transportStats() {
        return network.transportStats();
    }

    public SyncEngine engine() {
        return engine;
    }

    public String token() {
        return token;
    }

    public int apiPort() {
        return apiPort;
    }

    public Path dataDir() {
        return dataDir.path();
    }

    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    public ProgressReporter progress() {
        return progress;
    }

    /** The configured hub's node id, when a hub is configured. */
    public Optional<NodeId> hubNode() {
        return hub.map(h -> h.hub().node());
    }

    /** The hub part of the status; empty when no hub is configured. */
    public Optional<HubStatus> hubStatus() {
        if (registrar == null) {
            return Optional.empty();
        }
        NodeId hubNode = registrar.hub().node();
        boolean connected = engine.connectedPeers().stream().anyMatch(p -> p.node().equals(hubNode));
        return Optional.of(registrar.status(connected));
    }

    /** How the registration of a group with the hub stands; empty when no hub is configured. */
    public Optional<HubStatus.GroupRegistration> hubRegistration(GroupHandle g) {
        return hubStatus().flatMap(s -> s.groups().stream().filter(r -> r.id().equals(g.id().toString())).findFirst());
    }

    /** Who a group's authority is, as the API says it: {@code this-node}, {@code hub} or {@code other}. */
    public String authorityKind(NodeId authority) {
        if (authority.equals(engine.nodeId())) {
            return "this-node";
        }
        return hub.filter(h -> h.hub().node().equals(authority)).isPresent() ? "hub" : "other";
    }

    private String describeAuthority(NodeId authority) {
        return switch (authorityKind(authority)) {
            case "this-node" -> "this node";
            case "hub" -> "the hub " + hub.orElseThrow().hub();
            default -> "member " + authority;
        };
    }

    public GroupHandle group(String id) {
        GroupId gid;
        try {
            gid = GroupId.parse(id);
        } catch (RuntimeException e) {
            throw new ApiProblem.BadRequest("'" + id + "' is not a group id: " + e.getMessage());
        }
        return engine.group(gid).orElseThrow(() -> new ApiProblem.NotFound("this agent is not a member of group " + id
                + "; `savesync groups` lists the groups it has"));
    }

    public GroupHandle createGroup(String name, String dir) {
        if (name == null || name.isBlank()) {
            throw new ApiProblem.BadRequest("a group needs a name");
        }
        Path folder = checkFolder(dir, null);
        GroupId id = engine.createGroup(name.strip(), folder);
        GroupHandle g = engine.group(id).orElseThrow();
        startMonitor(g);
        System.out.println("agent: created group " + g.name() + " (" + id + ") in " + folder);
        if (registrar != null) {
            registrar.trigger();
        }
        return g;
    }

    /** What {@link #invite} asks for; BadRequest with the reason when a value is out of range. */
    static org.savesync.core.membership.InviteSpec inviteSpec(Duration ttl, boolean reusable, Integer maxUses,
                                                             org.savesync.core.membership.Role role, NodeId me) {
        try {
            String by = org.savesync.core.membership.InviteSpec.byNode(me);
            return reusable || maxUses != null && maxUses != 1
                    ? org.savesync.core.membership.InviteSpec.reusable(ttl, maxUses, role, by)
                    : org.savesync.core.membership.InviteSpec.singleUse(ttl, role, by);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem.BadRequest(e.getMessage());
        }
    }

    /**
     * An invite ticket for the group, from its authority: for {@code maxUses} joiners (1: single
     * use; null: single use, or 100 when {@code reusable}) who become {@code role} (MEMBER or READER).
     */
    public Ticket invite(String groupId, Duration ttl, boolean reusable, Integer maxUses,
                         org.savesync.core.membership.Role role) {
        GroupHandle g = group(groupId);
        org.savesync.core.membership.InviteSpec spec = inviteSpec(ttl, reusable, maxUses, role, engine.nodeId());
        NodeId authority = g.authority();
        CompletableFuture<Ticket> request;
        try {
            request = engine.requestInvite(g.id(), spec);
        } catch (RuntimeException e) {
            request = CompletableFuture.failedFuture(e);
        }
        try {
            return request.get(INVITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw InviteFailures.problem(e.getCause(), describeAuthority(authority));
        } catch (TimeoutException e) {
            throw InviteFailures.problem(e, describeAuthority(authority));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem.Unavailable("interrupted while asking for an invite");
        }
    }

    public GroupHandle join(String ticketText, String dir) {
        Ticket ticket;
        try {
            ticket = Ticket.parse(ticketText == null ? "" : ticketText);
        } catch (RuntimeException e) {
            throw new ApiProblem.BadRequest("not a valid ticket: " + e.getMessage());
        }
        Optional<GroupHandle> known = engine.group(ticket.group());
        if (known.isPresent() && known.get().removed().isEmpty()) {
            throw new ApiProblem.Conflict("this agent is already a member of group " + ticket.group() + " ("
                    + known.get().folder() + ")");
        }
        // A group this agent was removed from may be joined again with a new ticket, into its old folder too.
        Path created = firstMissing(dir);
        Path folder = checkFolder(dir, known.map(GroupHandle::id).orElse(null));
        GroupId id;
        try {
            id = engine.join(ticket, folder).get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Refused or unreachable: the join is over, so the folder it made goes (a timed-out one may still finish).
            if (created != null) {
                removeEmpty(folder, created);
            }
            Throwable c = e.getCause();
            if (c instanceof JoinException && !unreachable(c)) {
                throw new ApiProblem.Forbidden(c.getMessage()); // says "the group's authority refused the join: …"
            }
            throw new ApiProblem.Unavailable("could not join: " + Failure.describe(c));
        } catch (TimeoutException e) {
            throw new ApiProblem.Unavailable("the group's authority at " + String.join(", ", ticket.addresses())
                    + " did not answer within " + JOIN_TIMEOUT.toSeconds() + " s; is its agent running and reachable?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem.Unavailable("interrupted while joining");
        }
        GroupHandle g = engine.group(id).orElseThrow();
        startMonitor(g);
        System.out.println("agent: joined group " + g.name() + " (" + id + ") in " + folder);
        return g;
    }

    /** A join that failed because nothing answered (as opposed to an authority that said no). */
    private static boolean unreachable(Throwable t) {
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (c instanceof org.savesync.core.transport.PeerRefusedException
                    || c instanceof org.savesync.core.transport.PeerIdentityMismatchException) {
                return false;
            }
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** How long {@code group leave} waits for the authority's answer before saying it will be told later. */
    static final Duration LEAVE_ANSWER_WAIT = Duration.ofSeconds(15);

    /** Leaves a group and tells its authority; returns what became of the telling, for the user. */
    public String leave(String groupId) {
        GroupHandle g = group(groupId);
        CompletableFuture<Void> told;
        try {
            told = engine.leaveGroup(g.id());
        } catch (IllegalStateException e) {
            throw new ApiProblem.Conflict(e.getMessage());
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IllegalStateException ise) {
                throw new ApiProblem.Conflict(ise.getMessage());
            }
            throw e;
        }
        FolderMonitor m = monitors.remove(g.id());
        if (m != null) {
            m.close();
        }
        String outcome;
        try {
            told.get(LEAVE_ANSWER_WAIT.toSeconds(), TimeUnit.SECONDS);
            outcome = "the group's authority took this agent off the member list";
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof java.util.concurrent.CompletionException ce ? ce.getCause() : e.getCause();
            if (c instanceof IllegalStateException ise) {
                startMonitor(g); // still a member here
                throw new ApiProblem.Conflict(ise.getMessage());
            }
            outcome = Failure.describe(c);
        } catch (TimeoutException e) {
            outcome = "the group's authority is not reachable now; it will be told when it is (the leave is kept)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted; the group's authority will be told";
        }
        System.out.println("agent: left group " + g.name() + " (" + g.id() + "); the files in " + g.folder()
                + " stay where they are; " + outcome);
        return outcome;
    }

    /** Scans a group's folder now and waits until its changes are published. */
    public void scan(String groupId) {
        GroupHandle g = group(groupId);
        try {
            g.scan().get(SCAN_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new ApiProblem.Unavailable("scanning " + g.folder() + " failed: " + Failure.describe(e));
        } catch (TimeoutException e) {
            throw new ApiProblem.Unavailable("scanning " + g.folder() + " did not finish within "
                    + SCAN_TIMEOUT.toMinutes() + " min; it goes on in the agent, see `savesync status`");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem.Unavailable("interrupted");
        }
    }

    /** The outermost directory of {@code dir} that does not exist yet (join would create it), or null. */
    private static Path firstMissing(String dir) {
        if (dir == null || dir.isBlank() || !Path.of(dir).isAbsolute()) {
            return null;
        }
        Path p = Path.of(dir).normalize();
        Path missing = null;
        while (p != null && !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            missing = p;
            p = p.getParent();
        }
        return missing;
    }

    /** A refused join leaves no folder behind: removes {@code folder} up to {@code outermost} while empty. */
    private static void removeEmpty(Path folder, Path outermost) {
        for (Path p = folder; p != null && p.startsWith(outermost); p = p.getParent()) {
            try {
                Files.deleteIfExists(p); // fails on a non-empty directory, which then stays
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * A folder a group may sync: an absolute path, not inside the data dir, and neither inside
     * nor around another group's folder (one file must belong to one group); {@code rejoined}
     * (may be null) is a group this agent was removed from and joins again, whose folder is free.
     */
    private Path checkFolder(String dir, GroupId rejoined) {
        if (dir == null || dir.isBlank()) {
            throw new ApiProblem.BadRequest("a folder is needed (--dir FOLDER)");
        }
        Path p = Path.of(dir);
        if (!p.isAbsolute()) {
            throw new ApiProblem.BadRequest("the folder must be an absolute path, not '" + dir + "'");
        }
        p = p.normalize();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new ApiProblem.BadRequest(p + " exists and is not a directory");
        }
        if (p.startsWith(dataDir.path()) || dataDir.path().startsWith(p)) {
            throw new ApiProblem.BadRequest("the folder " + p + " overlaps the agent's data dir " + dataDir.path()
                    + "; choose a folder outside it");
        }
        for (GroupHandle g : engine.groups()) {
            if (g.id().equals(rejoined)) {
                continue;
            }
            if (p.startsWith(g.folder()) || g.folder().startsWith(p)) {
                throw new ApiProblem.Conflict("the folder " + p + " overlaps " + g.folder() + " of group " + g.name()
                        + " (" + g.id() + "); a file can belong to one group only");
            }
        }
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new ApiProblem.BadRequest("cannot create the folder " + p + ": " + Failure.describe(e));
        }
        return p;
    }

    private void startMonitor(GroupHandle g) {
        if (!config.watch() || g.removed().isPresent()) {
            return;
        }
        monitors.computeIfAbsent(g.id(), id -> FolderMonitor.start(g, config.watchDebounce()));
    }

    private void rescanAll() {
        monitors.values().forEach(FolderMonitor::ensureWatching);
        for (GroupHandle g : engine.groups()) {
            g.scan();
        }
    }

    private void reportProgress() {
        try {
            progress.tick();
        } catch (RuntimeException e) {
            LOG.debugf(e, "progress report failed");
        }
    }
}
