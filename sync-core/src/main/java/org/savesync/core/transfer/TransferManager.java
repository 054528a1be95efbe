package org.savesync.core.transfer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.Link;
import org.savesync.core.index.LocalRecord.ConflictSource;
import org.savesync.core.protocol.Message;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.SafePath;

/**
 * The transfers of one group, one per target path. Engine thread only.
 *
 * <p>Resources are bounded independently of how many files are pending: at most
 * {@link #MAX_ACTIVE} transfers run at once (each holds at most one temp file descriptor, one
 * chunk-list request or its chunk requests, and the chunk buffers of those requests); the others
 * wait in order and hold nothing but their entry. A transfer that fails a step (temp file cannot
 * be created, written or closed; the file cannot be put in place) or cannot go on (no connected
 * member has the content) leaves the pool and its file is tried again by a fresh transfer after a
 * backoff ({@link RetrySchedule}); why it waits is {@link #problem()}, shown by {@code status}.
 */
public final class TransferManager {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TransferManager.class);
    /**
     * Transfers of a group running at once. With 32 chunk requests per transfer and 64 per group
     * a few large files already fill the request budget; many small files need the pool to keep
     * the link busy. Each active transfer holds at most one descriptor (its temp file).
     */
    public static final int MAX_ACTIVE = 32;

    private final TransferHost h;
    /** Transfers that may hold resources now, at most {@link #MAX_ACTIVE}. */
    private final java.util.Set<Transfer> active = new java.util.HashSet<>();
    /** Transfers waiting for a place in the pool, in order. */
    private final java.util.LinkedHashSet<Transfer> queued = new java.util.LinkedHashSet<>();
    private final RetrySchedule retries = new RetrySchedule();
    private String reportedProblem = "";
    private boolean starting;
    private final Map<SafePath, Transfer> byTarget = new HashMap<>();
    private final Map<Long, Transfer> byRequest = new HashMap<>();
    /** Conflict-copy transfers by the path they are a copy of. */
    private final Map<SafePath, java.util.Set<SafePath>> copiesByOriginal = new HashMap<>();
    private boolean peersChanged;
    /** Chunk requests outstanding over all transfers, at most {@link Protocol#MAX_CHUNK_REQUESTS_PER_GROUP}. */
    private int chunkRequests;
    /** Transfers that wanted to ask for more chunks when the group's budget was spent, in order. */
    private final java.util.LinkedHashSet<Transfer> waiting = new java.util.LinkedHashSet<>();
    private boolean wakeScheduled;

    public TransferManager(TransferHost host) {
        this.h = host;
    }

    /** Makes sure {@code target} is being filled with {@code entry}'s content; returns its local phase. */
    public CompletableFuture<Void> ensure(SafePath target, Entry entry, ConflictSource conflict) {
        Transfer t = byTarget.get(target);
        if (t != null && t.sameJob(entry, conflict)) {
            return t.localPhase();
        }
        if (t != null) {
            forget(t);
            drop(t);
            t.cancel();
        }
        retries.forget(target);
        t = new Transfer(h, this, target, entry, conflict);
        byTarget.put(target, t);
        if (conflict != null) {
            copiesByOriginal.computeIfAbsent(conflict.original(), k -> new java.util.HashSet<>()).add(target);
        }
        t.reserveSources();
        queued.add(t);
        startQueued();
        return t.localPhase();
    }

    /** The conflict copy a transfer is fetching to {@code target}, or null when none is. */
    public ConflictSource copyBeingFetched(SafePath target) {
        Transfer t = byTarget.get(target);
        return t == null ? null : t.conflict();
    }

    public void cancel(SafePath target) {
        Transfer t = byTarget.remove(target);
        retries.forget(target);
        if (t != null) {
            forget(t);
            drop(t);
            t.cancel();
        }
        startQueued();
    }

    /** Takes {@code t} out of the pool and the queue. */
    private void drop(Transfer t) {
        active.remove(t);
        queued.remove(t);
    }

    /** Starts queued transfers while the pool has room. */
    private void startQueued() {
        if (starting) {
            return; // re-entered from a transfer that failed as it started: the outer loop goes on
        }
        starting = true;
        try {
            while (active.size() < MAX_ACTIVE && !queued.isEmpty()) {
                var it = queued.iterator();
                Transfer t = it.next();
                it.remove();
                if (isCurrent(t)) {
                    active.add(t);
                    t.start(); // may fail or stop at once, which frees its place again
                }
            }
        } finally {
            starting = false;
        }
    }

    /** {@code t} closed its temp file and is handed to the materialiser: its place in the pool is free. */
    void released(Transfer t) {
        if (active.remove(t)) {
            startQueued();
        }
    }

    /** Whether {@code t} is waiting for a chunk-request slot of the group (so it is not stuck). */
    boolean waitingForSlot(Transfer t) {
        return waiting.contains(t);
    }

    /**
     * A step of {@code t} failed for a local reason (it has released everything): its file is
     * tried again by a fresh transfer after a backoff. Also for a file that could not be put in place.
     */
    public void failed(Transfer t, String reason) {
        retryLater(t, reason, false);
    }

    /** {@code t} cannot go on: no connected member has what it needs. Tried again when the peers change, or later. */
    void stuck(Transfer t, String reason) {
        retryLater(t, reason, true);
    }

    private void retryLater(Transfer t, String reason, boolean untilPeersChange) {
        drop(t);
        waiting.remove(t);
        if (isCurrent(t)) {
            // A fresh transfer takes its place now (it holds nothing until the schedule releases it),
            // so the file stays pending and a materialiser's isCurrent sees the new one.
            Transfer next = new Transfer(h, this, t.target(), t.entry(), t.conflict());
            byTarget.put(t.target(), next);
            RetrySchedule.Waiting w = retries.failed(t.target(), reason, untilPeersChange, System.nanoTime());
            LOG.debugf("group %s: %s waits %s before try %d: %s", h.groupId(), t.target(),
                    RetrySchedule.delay(w.attempts()), w.attempts() + 1, reason);
            reportProblem();
        }
        startQueued();
    }

    /** Logs when why transfers wait changes (once, not once per file). */
    private void reportProblem() {
        String now = retries.problem();
        String kind = now.isEmpty() ? "" : now.substring(0, Math.max(0, now.indexOf(" (")));
        String before = reportedProblem.isEmpty() ? "" : reportedProblem.substring(0, Math.max(0, reportedProblem.indexOf(" (")));
        if (!kind.equals(before)) {
            if (now.isEmpty()) {
                LOG.infof("group %s: transfers progress again", h.groupId());
            } else if (now.startsWith("no connected member")) {
                LOG.infof("group %s: %s", h.groupId(), now);
            } else {
                LOG.warnf("group %s: %s; retrying with backoff", h.groupId(), now);
            }
        }
        reportedProblem = now;
    }

    /** Why transfers cannot progress now, e.g. "cannot create temp files: too many open files (12 file(s) waiting to retry)"; empty when they can. */
    public String problem() {
        return retries.problem();
    }

    private void releaseDue(boolean changedPeers) {
        List<SafePath> due = retries.due(System.nanoTime(), changedPeers);
        for (SafePath p : due) {
            Transfer t = byTarget.get(p);
            if (t != null && !active.contains(t)) {
                queued.add(t);
            }
        }
        // "progress again" is said by finished(), when a file actually arrives
    }

    private void forget(Transfer t) {
        if (t.conflict() != null) {
            java.util.Set<SafePath> s = copiesByOriginal.get(t.conflict().original());
            if (s != null && s.remove(t.target()) && s.isEmpty()) {
                copiesByOriginal.remove(t.conflict().original());
            }
        }
    }

    /** Stops every transfer; their temp files stay for a later resume. */
    public void cancelAll() {
        for (Transfer t : List.copyOf(byTarget.values())) {
            t.cancel();
        }
        byTarget.clear();
        copiesByOriginal.clear();
        active.clear();
        queued.clear();
        waiting.clear();
        retries.clear();
    }

    /** Cancels transfers of conflict copies of {@code original} other than those at {@code keep}. */
    public void cancelCopiesOf(SafePath original, java.util.Set<SafePath> keep) {
        java.util.Set<SafePath> copies = copiesByOriginal.get(original);
        if (copies == null) {
            return;
        }
        for (SafePath target : List.copyOf(copies)) {
            if (!keep.contains(target)) {
                cancel(target);
            }
        }
    }

    public boolean isCurrent(Transfer t) {
        return byTarget.get(t.target()) == t;
    }

    public void finished(Transfer t, boolean committed) {
        drop(t);
        if (byTarget.remove(t.target(), t)) {
            forget(t);
            retries.forget(t.target());
            if (retries.waitingCount() == 0 && !reportedProblem.isEmpty()) {
                reportProblem();
            }
        }
        startQueued();
    }

    public void onChunkList(Link from, Message.BlobChunks m) {
        Transfer t = byRequest.get(m.requestId());
        if (t != null) {
            t.onChunkList(from, m);
        }
    }

    public void onChunkData(Link from, Message.ChunkData m) {
        Transfer t = byRequest.get(m.requestId());
        if (t != null) {
            t.onChunkData(from, m);
        }
    }

    long newRequest(Transfer t, Link link) {
        long id = h.newRequestId(link);
        byRequest.put(id, t);
        return id;
    }

    void release(long id) {
        byRequest.remove(id);
        h.releaseRequest(id);
    }

    /** Takes one of the group's chunk-request slots; when none is left, {@code t} is pumped once one is. */
    boolean takeChunkSlot(Transfer t) {
        if (chunkRequests < Protocol.MAX_CHUNK_REQUESTS_PER_GROUP) {
            chunkRequests++;
            h.stats().chunkRequestsPeak.accumulate(chunkRequests);
            return true;
        }
        waiting.add(t);
        return false;
    }

    /** Gives a chunk request's slot back (answered, timed out or dropped) and lets a waiting transfer use it. */
    void returnChunkSlot(long id) {
        release(id);
        chunkRequests--;
        if (!waiting.isEmpty() && !wakeScheduled) {
            // Not from inside the caller's own bookkeeping: pump the waiting on the next turn.
            wakeScheduled = true;
            h.engineThread().execute(this::wakeWaiting);
        }
    }

    private void wakeWaiting() {
        wakeScheduled = false;
        while (chunkRequests < Protocol.MAX_CHUNK_REQUESTS_PER_GROUP && !waiting.isEmpty()) {
            var it = waiting.iterator();
            Transfer t = it.next();
            it.remove();
            if (isCurrent(t)) {
                t.pump();
            }
        }
    }

    public void peersChanged() {
        peersChanged = true;
        tick();
    }

    public void linkGone(Link link) {
        peersChanged();
    }

    public void tick() {
        boolean changed = peersChanged;
        peersChanged = false;
        releaseDue(changed);
        for (Transfer t : List.copyOf(active)) {
            if (active.contains(t)) {
                t.tick(changed);
            }
        }
        startQueued();
    }

    public List<String> describe() {
        return byTarget.values().stream().map(t -> (active.contains(t) ? "active " : retries.isWaiting(t.target())
                ? "retry " : "queued ") + t.describe()).toList();
    }

    public boolean idle() {
        return byTarget.isEmpty();
    }

    /** Files still being transferred, bytes they need in all, and bytes verified so far. */
    public Progress progress() {
        long total = 0;
        long verified = 0;
        for (Transfer t : byTarget.values()) {
            total += t.totalBytes();
            verified += t.verifiedBytes();
        }
        return new Progress(byTarget.size(), total, verified);
    }

    /** A snapshot of a group's transfers. */
    public record Progress(int files, long totalBytes, long verifiedBytes) {
    }
}
