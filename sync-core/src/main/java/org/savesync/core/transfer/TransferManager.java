package org.savesync.core.transfer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.engine.Link;
import org.savesync.core.index.LocalRecord.ConflictSource;
import org.savesync.core.protocol.Message;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.SafePath;

/** The transfers of one group, one per target path. Engine thread only. */
public final class TransferManager {
    private final TransferHost h;
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
            t.cancel();
        }
        t = new Transfer(h, this, target, entry, conflict);
        byTarget.put(target, t);
        if (conflict != null) {
            copiesByOriginal.computeIfAbsent(conflict.original(), k -> new java.util.HashSet<>()).add(target);
        }
        t.start();
        return t.localPhase();
    }

    public void cancel(SafePath target) {
        Transfer t = byTarget.remove(target);
        if (t != null) {
            forget(t);
            t.cancel();
        }
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
        if (byTarget.remove(t.target(), t)) {
            forget(t);
        }
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
        for (Transfer t : List.copyOf(byTarget.values())) {
            t.tick(changed);
        }
    }

    public List<String> describe() {
        return byTarget.values().stream().map(Transfer::describe).toList();
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
