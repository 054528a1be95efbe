package org.savesync.core.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunkstore.ChunkStore;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.ReplicaIndex;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.stats.EngineStats;

/**
 * A group kept as a full replica without a folder (the hub): every file entry's blob is
 * pulled into the {@link ChunkStore} and served from there, so members that are never online
 * together still sync through this node.
 *
 * <p>Which blobs: those of every file entry held (the newest of each author and path, so the
 * losing side of a conflict is kept too). A blob becomes complete in the {@link ReplicaIndex}
 * only once every chunk is stored and the store synced; on start, and whenever the queue runs
 * dry, incomplete blobs are read back from the index, which is how fetching resumes after a
 * crash. At most {@link #MAX_ACTIVE_BLOBS} are fetched at once, sharing the group's budget of
 * {@link Protocol#MAX_CHUNK_REQUESTS_PER_GROUP} chunk requests. A blob that no connected member
 * can provide is set aside and tried again when the peers change or after
 * {@link EngineConfig#stallRetry} (30 s unless configured).
 *
 * <p>Serving: chunk lists from the index, chunks from the store, each hashed as it is read so
 * a damaged chunk is never sent (it answers "not found"). The store is shared by every group:
 * only chunks the group holds ({@link GroupChunks}: those of its complete blobs) are served to
 * it or counted as already there for it; a chunk of another group answers "not found", as an
 * absent one does. Engine thread only, except the I/O.
 */
final class StoredContent {
    private static final Logger LOG = Logger.getLogger(StoredContent.class);
    static final int MAX_ACTIVE_BLOBS = 64;
    static final int REFILL_BATCH = 1_000;
    /** Most blobs whose asking entry is remembered; past it a finished blob is told without a path. */
    static final int MAX_ASKED_BY = 10_000;

    private final GroupReplica r;
    private final ReplicaIndex index;
    private final ChunkStore chunks;
    private final GroupChunks held;
    private final LinkedHashSet<BlobId> queued = new LinkedHashSet<>();
    private final Map<BlobId, BlobFetch> active = new LinkedHashMap<>();
    private final Map<Long, BlobFetch> byRequest = new HashMap<>();
    private final Set<BlobId> stalled = new HashSet<>();
    /** The entry that asked for each queued or active blob, for {@link ReplicaListener#contentStored}; bounded. */
    private final Map<BlobId, Entry> askedBy = new HashMap<>();
    private long stalledSince;
    private boolean moreIncomplete;
    private boolean peersChanged;
    private int chunkRequests;
    private int nextLink;
    private boolean pumping;

    StoredContent(GroupReplica r, IndexStore store, ChunkStore chunks) {
        if (!(store instanceof ReplicaIndex ri)) {
            throw new IllegalStateException("a full replica needs a ReplicaIndex, the store provider gave a "
                    + store.getClass().getSimpleName());
        }
        this.r = r;
        this.index = ri;
        this.chunks = chunks;
        this.held = GroupChunks.of(ri);
    }

    // ------------------------------------------------------------------ for BlobFetch

    ReplicaIndex index() {
        return index;
    }

    ChunkStore chunkStore() {
        return chunks;
    }

    /** The chunks this group holds (I/O threads may read it). */
    GroupChunks held() {
        return held;
    }

    GroupId group() {
        return r.id;
    }

    EngineStats stats() {
        return r.engine.stats();
    }

    Executor io() {
        return r.engine.io();
    }

    Executor engineThread() {
        return r.engine.engineExecutor();
    }

    int chunkRequestsInFlight() {
        return r.engine.config().chunkRequestsInFlight();
    }

    Duration requestTimeout() {
        return r.engine.config().requestTimeout();
    }

    /** How long a blob no connected member could provide is set aside. */
    Duration stallRetry() {
        return r.engine.config().stallRetry();
    }

    long newRequest(BlobFetch f, Link link) {
        long id = r.engine.newRequestId(r, link);
        byRequest.put(id, f);
        return id;
    }

    void release(long id) {
        byRequest.remove(id);
        r.engine.releaseRequest(id);
    }

    boolean hasSlots() {
        return chunkRequests < Protocol.MAX_CHUNK_REQUESTS_PER_GROUP;
    }

    long takeSlot(BlobFetch f, Link link) {
        chunkRequests++;
        stats().chunkRequestsPeak.accumulate(chunkRequests);
        return newRequest(f, link);
    }

    void returnSlot(long id) {
        release(id);
        chunkRequests--;
    }

    /** An open link to a member not in {@code exclude}, round robin; null when there is none. */
    Link pick(Set<NodeId> exclude) {
        List<Link> links = r.links();
        for (int n = 0; n < links.size(); n++) {
            Link l = links.get(Math.floorMod(nextLink++, links.size()));
            if (l.isOpen() && !exclude.contains(l.remote())) {
                return l;
            }
        }
        return null;
    }

    void completed(BlobFetch f) {
        held.add(f.chunks());
        active.remove(f.blob, f);
        Entry asked = askedBy.remove(f.blob);
        tell(() -> listener().contentStored(r.id, f.blob, f.totalBytes(), asked == null ? null : asked.path(),
                asked == null ? null : asked.author()));
        pumpAll();
    }

    private ReplicaListener listener() {
        return r.engine.config().replicaListener();
    }

    /** Runs a call to the listener; what it throws is logged, never the replica's problem. */
    private void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warnf("group %s: the replica listener failed: %s", r.id, Failure.describe(e));
        }
    }

    // ------------------------------------------------------------------ the group's side

    void start() {
        refill();
        pumpAll();
    }

    /** New entries were stored: fetch the blobs of file entries that are not complete. */
    void entriesStored(List<SignedEntry> entries) {
        for (SignedEntry se : entries) {
            var e = se.entry();
            if (e.type() == EntryType.FILE && e.blob() != null && !e.blob().equals(BlobId.EMPTY)
                    && !active.containsKey(e.blob()) && !index.isComplete(e.blob())) {
                stalled.remove(e.blob());
                queued.add(e.blob());
                if (askedBy.size() < MAX_ASKED_BY) {
                    askedBy.putIfAbsent(e.blob(), e);
                }
            }
        }
        tell(() -> ConflictSpotter.entriesStored(r.id, index, entries, listener()));
        pumpAll();
    }

    void peersChanged() {
        peersChanged = true;
        tick();
    }

    void tick() {
        boolean changed = peersChanged;
        peersChanged = false;
        for (BlobFetch f : List.copyOf(active.values())) {
            f.tick(changed);
        }
        if (!stalled.isEmpty() && (changed || System.nanoTime() - stalledSince > stallRetry().toNanos())) {
            stalled.clear();
            moreIncomplete = true;
        }
        pumpAll();
    }

    /** Starts queued fetches while there is room, lets every active one send requests, sets aside the stuck. */
    void pumpAll() {
        if (pumping) {
            return; // re-entered from a fetch's own callback: the outer loop goes on
        }
        pumping = true;
        try {
            for (BlobFetch f : List.copyOf(active.values())) {
                f.pump();
            }
            for (BlobFetch f : List.copyOf(active.values())) {
                if (f.failed() || f.stuck() && hasSlots()) {
                    active.remove(f.blob);
                    f.cancel();
                    if (stalled.isEmpty()) {
                        stalledSince = System.nanoTime();
                    }
                    stalled.add(f.blob);
                    r.engine.stats().blobsSetAside.increment();
                }
            }
            if (queued.isEmpty() && moreIncomplete && active.size() < MAX_ACTIVE_BLOBS) {
                refill();
            }
            for (Iterator<BlobId> it = queued.iterator(); it.hasNext() && active.size() < MAX_ACTIVE_BLOBS; ) {
                BlobId b = it.next();
                it.remove();
                if (active.containsKey(b) || index.isComplete(b)) {
                    continue;
                }
                BlobFetch f = new BlobFetch(this, b);
                active.put(b, f);
                f.start();
                f.pump();
            }
        } finally {
            pumping = false;
        }
    }

    private void refill() {
        List<BlobId> more = index.incompleteBlobs(REFILL_BATCH);
        int added = 0;
        for (BlobId b : more) {
            if (!active.containsKey(b) && !stalled.contains(b) && queued.add(b)) {
                added++;
            }
        }
        moreIncomplete = more.size() >= REFILL_BATCH && added > 0;
    }

    void onChunkList(Link from, Message.BlobChunks m) {
        BlobFetch f = byRequest.get(m.requestId());
        if (f != null) {
            f.onChunkList(from, m);
            pumpAll();
        }
    }

    void onChunkData(Link from, Message.ChunkData m) {
        BlobFetch f = byRequest.get(m.requestId());
        if (f != null) {
            f.onChunkData(from, m);
        }
    }

    void stop() {
        askedBy.clear();
        active.values().forEach(BlobFetch::cancel);
        active.clear();
        queued.clear();
    }

    boolean idle() {
        return active.isEmpty() && queued.isEmpty();
    }

    /** Blobs being fetched or waiting, bytes known to be needed by the active ones, and stored so far. */
    org.savesync.core.transfer.TransferManager.Progress progress() {
        long total = 0;
        long verified = 0;
        for (BlobFetch f : active.values()) {
            total += f.totalBytes();
            verified += f.verifiedBytes();
        }
        return new org.savesync.core.transfer.TransferManager.Progress(active.size() + queued.size(), total, verified);
    }

    /** Blobs set aside because no connected member could provide them. */
    int stalledCount() {
        return stalled.size();
    }

    // ------------------------------------------------------------------ serving

    /** Reads (I/O thread) and sends one chunk; completes once the transport took the answer. */
    java.util.concurrent.CompletableFuture<Void> serveChunk(Link link, Message.ChunkRequest req) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        r.engine.io().execute(() -> {
            byte[] data = null;
            try {
                // Absent and another group's chunk get the same answer from the same check: no oracle.
                data = held.holds(req.hash()) ? chunks.get(req.hash()).orElse(null) : null;
            } catch (IOException e) {
                LOG.warnf("group %s: cannot read chunk %s: %s", r.id, req.hash().shortString(), Failure.describe(e));
            }
            if (data != null && !req.hash().matches(data, 0, data.length)) {
                LOG.errorf("group %s: stored chunk %s is damaged; not serving it", r.id, req.hash().shortString());
                data = null;
            }
            if (data == null) {
                link.send(new Message.ChunkData(req.requestId(), req.hash(), null));
                done.complete(null);
                return;
            }
            int n = data.length;
            link.sendBulk(new Message.ChunkData(req.requestId(), req.hash(), data)).whenComplete((v, e) -> {
                if (e == null) {
                    stats().chunkBytesServed.add(n);
                    stats().chunksServed.increment();
                }
                done.complete(null);
            });
        });
        return done;
    }
}
