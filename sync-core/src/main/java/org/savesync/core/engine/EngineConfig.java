package org.savesync.core.engine;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.savesync.core.chunkstore.ChunkStore;
import org.savesync.core.protocol.Protocol;

/**
 * Engine settings.
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
 * @param replicaListener       told of registrations, conflicts and stored content on a full replica
 *                              ({@link ReplicaListener#NONE} by default)
 */
public record EngineConfig(String nodeName, Duration antiEntropyInterval, Duration requestTimeout,
                           int chunkRequestsInFlight, LongSupplier wallClock, int ioThreads, ChunkStore chunkStore,
                           RegistrationPolicy registrations, PendingLeaves leaves,
                           ReplicaListener replicaListener) {

    public static EngineConfig defaults(String nodeName) {
        return new EngineConfig(nodeName, Protocol.ANTI_ENTROPY_INTERVAL, Protocol.REQUEST_TIMEOUT,
                Protocol.MAX_CHUNK_REQUESTS_IN_FLIGHT, System::currentTimeMillis,
                Math.max(2, Runtime.getRuntime().availableProcessors()), null, RegistrationPolicy.REFUSE_ALL,
                PendingLeaves.inMemory(), ReplicaListener.NONE);
    }

    public EngineConfig withTimings(Duration antiEntropy, Duration request) {
        return new EngineConfig(nodeName, antiEntropy, request, chunkRequestsInFlight, wallClock, ioThreads,
                chunkStore, registrations, leaves, replicaListener);
    }

    public EngineConfig withWallClock(LongSupplier clock) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, clock, ioThreads,
                chunkStore, registrations, leaves, replicaListener);
    }

    /** A full-replica node (the hub): groups have no folder, chunks go to {@code store}. */
    public EngineConfig withChunkStore(ChunkStore store) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, store, registrations, leaves, replicaListener);
    }

    public EngineConfig withRegistrations(RegistrationPolicy policy) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, policy, leaves, replicaListener);
    }

    /** Where leaves wait for their authority's answer (an agent keeps them in its data dir). */
    public EngineConfig withLeaves(PendingLeaves store) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, store, replicaListener);
    }

    /** Who is told of registrations, conflicts and stored content (a full replica; see {@link ReplicaListener}). */
    public EngineConfig withReplicaListener(ReplicaListener listener) {
        return new EngineConfig(nodeName, antiEntropyInterval, requestTimeout, chunkRequestsInFlight, wallClock,
                ioThreads, chunkStore, registrations, leaves, java.util.Objects.requireNonNull(listener, "listener"));
    }

    /** True for a hub-style node whose groups are kept in a chunk store. */
    public boolean fullReplica() {
        return chunkStore != null;
    }
}
