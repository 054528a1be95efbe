package org.savesync.core.engine;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.savesync.core.chunkstore.ChunkStore;
import org.savesync.core.membership.InviteStore;
import org.savesync.core.protocol.Protocol;

/**
 * Engine settings. Start from {@link #defaults} and change what differs with the {@code with…}
 * methods; every component left null takes its default.
 *
 * @param nodeName              shown to other members
 * @param antiEntropyInterval   how often every peer is sent our knowledge (heals lost messages)
 * @param requestTimeout        an unanswered chunk or chunk-list request is re-sent after this
 * @param chunkRequestsInFlight chunk requests outstanding per transfer
 * @param wallClock             milliseconds since the epoch (tests move it)
 * @param ioThreads             threads that hash, read and write file data
 * @param chunkStore            null for a node that syncs folders (an agent); otherwise every
 *                              group is a full replica without a folder, its chunks kept here
 *                              and its stores {@link org.savesync.core.index.ReplicaIndex}es (the hub)
 * @param registrations         who may hand groups over to this node (see {@link RegistrationPolicy})
 * @param leaves                leaves not yet acknowledged by their group's authority (kept across restarts)
 * @param removals              the groups this node was removed from (kept across restarts: not started again)
 * @param invites               where the invites this node makes as an authority are kept (the hub: PostgreSQL)
 * @param membershipObserver    told of the joins, leaves and removals this node makes as an authority (an audit log)
 * @param replicaListener       told of registrations, conflicts and stored content on a full replica
 * @param stallRetry            on a full replica, how long a blob that no connected member could provide
 *                              is set aside before it is fetched again (sooner when the peers change);
 *                              null takes {@link #DEFAULT_STALL_RETRY}
 */
public record EngineConfig(String nodeName, Duration antiEntropyInterval, Duration requestTimeout,
                           int chunkRequestsInFlight, LongSupplier wallClock, int ioThreads, ChunkStore chunkStore,
                           RegistrationPolicy registrations, PendingLeaves leaves, Removals removals,
                           InviteStore invites, MembershipObserver membershipObserver,
                           ReplicaListener replicaListener, Duration stallRetry) {

    /** How long a full replica sets aside a blob it could not fetch, unless configured otherwise. */
    public static final Duration DEFAULT_STALL_RETRY = Duration.ofSeconds(30);

    public EngineConfig {
        registrations = registrations == null ? RegistrationPolicy.REFUSE_ALL : registrations;
        leaves = leaves == null ? PendingLeaves.inMemory() : leaves;
        removals = removals == null ? Removals.inMemory() : removals;
        invites = invites == null ? InviteStore.inMemory() : invites;
        membershipObserver = membershipObserver == null ? MembershipObserver.NONE : membershipObserver;
        replicaListener = replicaListener == null ? ReplicaListener.NONE : replicaListener;
        stallRetry = stallRetry == null ? DEFAULT_STALL_RETRY : stallRetry;
        if (stallRetry.isNegative() || stallRetry.isZero()) {
            throw new IllegalArgumentException("stallRetry must be positive, was " + stallRetry);
        }
    }

    public static EngineConfig defaults(String nodeName) {
        return new EngineConfig(nodeName, Protocol.ANTI_ENTROPY_INTERVAL, Protocol.REQUEST_TIMEOUT,
                Protocol.MAX_CHUNK_REQUESTS_IN_FLIGHT, System::currentTimeMillis,
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                null, null, null, null, null, null, null, null);
    }

    public EngineConfig withTimings(Duration antiEntropy, Duration request) {
        return new EngineConfig(nodeName, antiEntropy, request, chunkRequestsInFlight, wallClock, ioThreads,
                chunkStore, registrations, leaves, removals, invites, membershipObserver, replicaListener, stallRetry);
    }

    public EngineConfig withWallClock(LongSupplier clock) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, clock, ioThreads,
                chunkStore, registrations, leaves, removals, invites, membershipObserver, replicaListener, stallRetry);
    }

    /** A full-replica node (the hub): groups have no folder, chunks go to {@code store}. */
    public EngineConfig withChunkStore(ChunkStore store) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, store, registrations, leaves, removals, invites,
                membershipObserver, replicaListener, stallRetry);
    }

    public EngineConfig withRegistrations(RegistrationPolicy policy) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, policy, leaves, removals, invites,
                membershipObserver, replicaListener, stallRetry);
    }

    /** Where leaves wait for their authority's answer (an agent keeps them in its data dir). */
    public EngineConfig withLeaves(PendingLeaves store) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, store, removals, invites,
                membershipObserver, replicaListener, stallRetry);
    }

    /** Where the groups this node was removed from are recorded (an agent keeps them in its data dir). */
    public EngineConfig withRemovals(Removals store) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, leaves, store, invites,
                membershipObserver, replicaListener, stallRetry);
    }

    /** Where the invites this node makes as a group's authority are kept. */
    public EngineConfig withInvites(InviteStore store) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, leaves, removals, store,
                membershipObserver, replicaListener, stallRetry);
    }

    /** Who hears of the membership changes this node makes as a group's authority (the hub's audit log). */
    public EngineConfig withMembershipObserver(MembershipObserver observer) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, leaves, removals, invites, observer, replicaListener, stallRetry);
    }

    /** Who hears of registrations, conflicts and stored content on a full replica (the hub's event stream). */
    public EngineConfig withReplicaListener(ReplicaListener listener) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, leaves, removals, invites,
                membershipObserver, listener, stallRetry);
    }

    /** How long a full replica sets aside a blob no connected member could provide (tests shorten it). */
    public EngineConfig withStallRetry(Duration retry) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, leaves, removals, invites, membershipObserver, replicaListener,
                retry);
    }

    /** True for a hub-style node whose groups are kept in a chunk store. */
    public boolean fullReplica() {
        return chunkStore != null;
    }
}
