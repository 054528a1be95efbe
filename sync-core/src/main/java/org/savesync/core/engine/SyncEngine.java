package org.savesync.core.engine;

import org.savesync.core.failure.Failure;
import org.savesync.core.protocol.Link;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.transfer.ServeBudget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Invite;
import org.savesync.core.membership.InviteRegistry;
import org.savesync.core.membership.InviteSpec;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.HlcClock;

/**
 * A SaveSync node: one engine per node key, any number of groups. It owns two executors:
 * the <em>engine thread</em>, on which every change to group state happens (so the
 * replication logic needs no locks), and the I/O threads, which hash, read and write file
 * data. Network callbacks are handed to the engine thread and never block the network.
 *
 * <p>On every new link both sides send {@link Message.Hello}; a wrong magic or version is
 * answered with an {@link Message.ErrorNotice} naming both versions and the link is closed.
 * Then each group both belong to starts exchanging member lists and knowledge (see
 * {@link Protocol} for the flow).
 *
 * <p>Beside its groups, the engine keeps its links in parts of their own: {@link LinkEvents}
 * takes in what the network reports (budget, screening, verification, dispatch to a group),
 * {@link PeerLinks} holds the live links and their Hello, {@link RequestRoutes} binds answers
 * to the requests they answer, and {@link MemberDialers} keeps the members dialled.
 */
public final class SyncEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private final NodeKey key;
    private final Network network;
    private final StoreProvider stores;
    private final EngineConfig config;
    private final EngineStats stats = new EngineStats();
    private final ServeBudget serving = new ServeBudget(this::onEngineThread, stats);
    private final HlcClock clock;
    private final ScheduledExecutorService engineThread;
    private final ExecutorService io;
    private final Map<GroupId, GroupReplica> groups = new ConcurrentHashMap<>();
    private final PeerLinks peers = new PeerLinks(stats);
    private final RequestRoutes requests = new RequestRoutes(stats);
    private final MemberDialers dialers;
    private final InviteRegistry invites;
    private final JoinLimiter joinLimiter = new JoinLimiter();
    private final LeaveDesk leaves = new LeaveDesk(this);
    private final RemovedGroups removed = new RemovedGroups(this);
    private final EntryVerifier verifier;
    private volatile boolean closed;

    private SyncEngine(NodeKey key, Network network, StoreProvider stores, EngineConfig config) {
        this.key = key;
        this.network = network;
        this.stores = stores;
        this.config = config;
        this.invites = new InviteRegistry(config.invites());
        this.clock = new HlcClock(config.wallClock());
        String id = key.nodeId().shortId(7);
        this.engineThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "savesync-engine-" + id));
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(config.ioThreads(),
                r -> daemon(r, "savesync-io-" + id + "-" + n.incrementAndGet()));
        this.verifier = new EntryVerifier(io, config.ioThreads(), stats);
        this.dialers = new MemberDialers(network, key.nodeId());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts the engine: resumes the groups the store knows, starts listening, starts the timers,
     * and brings each resumed group's folder and index in line ({@link #catchUp}).
     */
    public static SyncEngine start(NodeKey key, Network network, StoreProvider stores, EngineConfig config) {
        SyncEngine e = resume(key, network, stores, config);
        e.catchUp();
        return e;
    }

    /**
     * Starts the engine as {@link #start} does but leaves the catch-up (the first scan of each
     * resumed group's folder, which finds what changed while the node was down, and the re-plan
     * of every path) to {@link #catchUp}: an owner that must answer quickly (the agent: its
     * start-up prints "ready" first) calls it once it is up. Until then the groups sync what
     * peers send; a local change made while down is found by the catch-up.
     */
    public static SyncEngine resume(NodeKey key, Network network, StoreProvider stores, EngineConfig config) {
        SyncEngine e = new SyncEngine(key, network, stores, config);
        e.network.start(new LinkEvents(e, Collections.unmodifiableMap(e.groups), e.peers, e.requests));
        e.call(() -> {
            for (GroupId g : stores.groups()) {
                IndexStore store = stores.open(g);
                store.info().ifPresent(info -> {
                    var gone = e.config.removals().get(info.id());
                    if (gone.isPresent()) {
                        e.removed.keep(store, info, gone.get());
                    } else {
                        e.startReplica(info, false);
                    }
                });
            }
            e.leaves.resume();
            return null;
        }).join();
        long tick = Math.max(20, Math.min(config.antiEntropyInterval().toMillis(), config.requestTimeout().toMillis() / 4));
        e.engineThread.scheduleWithFixedDelay(e::tick, tick, tick, TimeUnit.MILLISECONDS);
        return e;
    }

    // ------------------------------------------------------------------ public API

    public NodeId nodeId() {
        return key.nodeId();
    }

    public EngineStats stats() {
        return stats;
    }

    public List<String> listenAddresses() {
        return network.listenAddresses();
    }

    /** Creates a group whose authority is this node, syncing {@code folder} (created if missing). */
    public GroupId createGroup(String name, Path folder) {
        return call(() -> {
            Files.createDirectories(folder);
            GroupId id = GroupId.random();
            long now = config.wallClock().getAsLong();
            MemberList list = MemberList.initial(id, new Member(nodeId(), config.nodeName(), Role.OWNER, now, nodeId()),
                    now);
            SignedMemberList signed = SignedMemberList.sign(list, key);
            GroupInfo info = new GroupInfo(id, name, folder.toAbsolutePath().normalize(), nodeId(),
                    new SignedRecord(signed.signedBytes(), signed.signature()), GroupSecret.random(1), Map.of());
            stores.open(id).saveInfo(info);
            startReplica(info);
            return id;
        }).join();
    }

    /** An invite ticket for a group this node is the authority of, for a read-write member, made by this node. */
    public Ticket invite(GroupId group, Duration ttl, boolean singleUse) {
        return createInvite(group, memberInvite(ttl, singleUse));
    }

    /**
     * An invite ticket for a group this node is the authority of (the hub's admin API): its
     * text is the only place its token is ever shown.
     *
     * @throws IllegalStateException when this node is not the group's authority
     * @throws org.savesync.core.membership.TooManyInvitesException when the group has too many live invites
     */
    public Ticket createInvite(GroupId group, InviteSpec spec) {
        return call(() -> TicketDesk.make(this, replica(group), spec)).join();
    }

    /** The live invites of a group this node is the authority of, oldest first; without their tokens. */
    public List<Invite> invites(GroupId group) {
        return invites.active(group, config.wallClock().getAsLong());
    }

    /** Revokes the live invite {@code inviteId} ({@link Invite#id()}) of {@code group}; false when there is none. */
    public boolean revokeInvite(GroupId group, String inviteId) {
        return invites.revoke(group, inviteId, config.wallClock().getAsLong());
    }

    /**
     * An invite ticket for {@code group}: made here when this node is the group's authority,
     * otherwise asked of the authority (the hub) over the authority sub-protocol, which
     * gives tickets to members with write rights.
     */
    public CompletableFuture<Ticket> requestInvite(GroupId group, Duration ttl, boolean singleUse) {
        return requestInvite(group, memberInvite(ttl, singleUse));
    }

    private InviteSpec memberInvite(Duration ttl, boolean singleUse) {
        String me = InviteSpec.byNode(nodeId());
        return singleUse ? InviteSpec.singleUse(ttl, Role.MEMBER, me) : InviteSpec.reusable(ttl, null, Role.MEMBER, me);
    }

    /**
     * An invite ticket for {@code group} as {@code spec} says (its creator is this node, whatever
     * the spec names): made here when this node is the group's authority, otherwise asked of
     * the authority, which gives tickets to members with write rights.
     */
    public CompletableFuture<Ticket> requestInvite(GroupId group, InviteSpec spec) {
        return TicketDesk.request(this, group, spec.withCreatedBy(InviteSpec.byNode(nodeId())));
    }

    /**
     * Registers a group this node is the authority of with a hub: signs a handover record
     * naming the hub, sends it with the member list and the group secret over the authority
     * sub-protocol, and installs the hub's first member list, so that from then on the hub
     * alone signs member lists and admits joiners. {@code enrollToken} (may be empty) enrolls
     * this node with the hub the first time. Completes exceptionally with a
     * {@link RegistrationException} carrying the hub's reason when it refuses. Registering a
     * group whose authority already is that hub completes at once.
     */
    public CompletableFuture<Void> registerWithHub(GroupId group, org.savesync.core.membership.HubAddress hub,
                                                   String enrollToken) {
        return HubRegistration.register(this, group, hub, enrollToken);
    }

    /** Revokes the invite of {@code ticket}, made by this node; see {@link #revokeInvite(GroupId, String)}. */
    public boolean revokeInvite(Ticket ticket) {
        return revokeInvite(ticket.group(), ticket.token().id());
    }

    /** Joins a group with a ticket: dials its authority on the join sub-protocol, then syncs into {@code folder}. */
    public CompletableFuture<GroupId> join(Ticket ticket, Path folder) {
        return new Joiner(this, ticket, folder).run();
    }

    /** A group of this node, syncing or (see {@link GroupHandle#removed()}) removed from it. */
    public Optional<GroupHandle> group(GroupId id) {
        GroupReplica r = groups.get(id);
        return r != null ? Optional.of(new GroupHandle(r)) : removed.replica(id).map(GroupHandle::new);
    }

    /** The groups of this node: those it syncs, then those it was removed from (stopped, shown). */
    public List<GroupHandle> groups() {
        List<GroupHandle> all = new ArrayList<>(groups.values().stream().map(GroupHandle::new).toList());
        removed.replicas().forEach(r -> all.add(new GroupHandle(r)));
        return all;
    }

    /**
     * Removes {@code node} from {@code group}, on the group's authority: signs a list without it,
     * rotates the group secret, revokes the group's outstanding invites, and tells every member;
     * see {@link MemberRemoval}. Fails with {@link IllegalStateException} on a node that is not
     * the group's authority and {@link IllegalArgumentException} for a node that is not a member
     * or is the authority.
     */
    public CompletableFuture<Removal> removeMember(GroupId group, NodeId node) {
        return call(() -> MemberRemoval.remove(this, group, node));
    }

    /**
     * Leaves a group on this node: stops syncing it and forgets its index, and tells the group's
     * authority, which takes this node off the member list and tells every member. The folder and
     * its files stay as they are. The returned future completes once the authority took this node
     * off (at once when this node is the authority and alone), fails with {@link LeaveException}
     * when it refused, and stays open while it is unreachable: the leave is kept and sent again
     * (after a restart too) until it is answered.
     *
     * @throws IllegalStateException when this node is the group's authority and others remain
     */
    public CompletableFuture<Void> leaveGroup(GroupId id) {
        return call(() -> {
            GroupReplica r = replica(id);
            boolean authority = r.info().authority().equals(nodeId());
            if (authority && r.members().list().members().size() > 1) {
                throw new IllegalStateException("this node is the authority of group " + r.info().name() + " (" + id
                        + ") and " + (r.members().list().members().size() - 1) + " other member(s) remain; it cannot"
                        + " leave: register the group with a hub first (it becomes the authority), or remove the others");
            }
            r.stop();
            groups.remove(id);
            stores.remove(id);
            membershipChanged(r);
            return authority ? CompletableFuture.<Void>completedFuture(null) : leaves.leave(r);
        }).thenCompose(f -> f);
    }

    /** Runs {@code r} on the engine thread after {@code delayMillis}; dropped once the engine is closing. */
    void scheduleOnEngineThread(Runnable r, long delayMillis) {
        try {
            engineThread.schedule(() -> onEngineThread(r), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** A connected peer: who, which way the connection was made, where it says it listens. */
    public record PeerLink(NodeId node, boolean inbound, List<String> listenAddresses) {
    }

    /** The peers connected right now (after their Hello). */
    public List<PeerLink> connectedPeers() {
        return call(peers::connected).join();
    }

    /** Stops everything this engine started; waits for file writes in progress. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        network.close();
        try {
            engineThread.submit(() -> {
                groups.values().forEach(GroupReplica::stop);
                dialers.closeAll();
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("engine %s: stopping groups: %s", nodeId(), e.toString());
        }
        engineThread.shutdownNow();
        io.shutdown();
        try {
            if (!io.awaitTermination(60, TimeUnit.SECONDS)) {
                io.shutdownNow();
            }
            engineThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ for the groups

    NodeKey key() {
        return key;
    }

    EngineConfig config() {
        return config;
    }

    HlcClock clock() {
        return clock;
    }

    Executor io() {
        return io;
    }

    Executor engineExecutor() {
        return this::onEngineThread;
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs on the engine thread; silently dropped once the engine is closing. */
    void onEngineThread(Runnable r) {
        try {
            engineThread.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "engine %s: unexpected failure", nodeId().shortId(7));
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: nothing more to do
        }
    }

    interface EngineCall<T> {
        T call() throws Exception;
    }

    <T> CompletableFuture<T> call(EngineCall<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        onEngineThread(() -> {
            try {
                f.complete(c.call());
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
        }
        return f;
    }

    /** Per-peer bounds on chunks being served (shared by every group: a link carries them all). */
    ServeBudget serving() {
        return serving;
    }

    /** A fresh request id for {@code r}, asked over {@code link} (see {@link RequestRoutes#open}). */
    long newRequestId(GroupReplica r, Link link) {
        return requests.open(r, link);
    }

    void releaseRequest(long id) {
        requests.close(id);
    }

    GroupReplica replica(GroupId id) {
        GroupReplica r = groups.get(id);
        if (r == null) {
            throw new IllegalArgumentException("this node is not a member of group " + id);
        }
        return r;
    }

    /**
     * A verified list without this node was installed in {@code r}: the group stops here (its
     * files, index and info stay), is recorded as removed and is not started again.
     */
    void removedFrom(GroupReplica r, NodeId by) {
        if (groups.get(r.id) != r) {
            return;
        }
        r.stop();
        groups.remove(r.id);
        removed.add(r, by);
        membershipChanged(r);
    }

    Optional<Removals.Removed> removal(GroupId id) {
        return removed.record(id);
    }

    /**
     * Scans every resumed group's folder and re-plans its paths, once per group (what
     * {@link #resume} left out); completes when every scan's changes are published. Groups
     * created or joined since need none, and a second call starts no second pass.
     */
    public CompletableFuture<Void> catchUp() {
        return call(() -> CompletableFuture.allOf(groups.values().stream().map(GroupReplica::catchUp)
                .toArray(CompletableFuture[]::new))).thenCompose(f -> f);
    }

    void startReplica(GroupInfo info) {
        startReplica(info, true);
    }

    /** Starts a group; {@code catchUpNow} false leaves its first scan to {@link #catchUp}. */
    private void startReplica(GroupInfo info, boolean catchUpNow) {
        removed.forget(info.id()); // when joined again with a new ticket
        try {
            if (!config.fullReplica()) {
                Files.createDirectories(info.folder());
            }
            GroupReplica r = new GroupReplica(this, stores.open(info.id()), info);
            groups.put(info.id(), r);
            r.start(catchUpNow);
            peers.greeted().forEach(r::linkReady);
            membershipChanged(r);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start group " + info.id() + " in " + info.folder() + ": "
                    + Failure.describe(e), e);
        }
    }

    /** Dials every member of every group whose address is known and that is not dialled yet. */
    void membershipChanged(GroupReplica changed) {
        dialers.follow(groups.values());
    }

    private void tick() {
        for (GroupReplica r : groups.values()) {
            r.tick();
        }
    }

    PeerLinks peerLinks() {
        return peers;
    }

    Network network() {
        return network;
    }

    StoreProvider stores() {
        return stores;
    }

    InviteRegistry invites() {
        return invites;
    }

    JoinLimiter joinLimiter() {
        return joinLimiter;
    }

    EntryVerifier verifier() {
        return verifier;
    }

    List<GroupReplica> replicas() {
        return new ArrayList<>(groups.values());
    }
}
