package org.savesync.core.transfer;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.protocol.Link;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.LocalRecord.ConflictSource;
import org.savesync.core.protocol.Message;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.SafePath;

/**
 * Assembles one file from verified chunks into a temp file under {@code .savesync/tmp}.
 * <pre>
 *   1. chunk list: from the store, or BlobRequest pages from the peers; accepted only when
 *      its blob id and total size match the entry
 *   2. temp file ({@link PartFile}): a name derived from (blob, path), so a restart finds it
 *      again; every chunk already in it is re-hashed and kept when it matches (resume without
 *      re-fetching)
 *   3. local chunks: copied from files in the folder (renames, moves, conflict copies)
 *      and verified; then the {@link #localPhase()} completes, which is what deletes and
 *      overwrites in the folder wait for
 *   4. remote chunks: ChunkRequests to the group's peers, round robin, at most
 *      chunkRequestsInFlight outstanding; a peer that lacks a chunk is skipped for it; each
 *      answer is hashed before it is written ({@link ChunkReceiver}); unanswered requests are
 *      re-sent after the request timeout
 *   5. close the temp file and hand it to the materialiser, which sets mtime and mode,
 *      fsyncs it (content and metadata in one go) and renames it into place; no fsync here:
 *      a temp file cut off by a crash is re-verified chunk by chunk when the transfer resumes
 * </pre>
 * State changes happen on the engine thread; file I/O and hashing on the I/O threads.
 *
 * <p>Resources: a transfer holds a temp file descriptor, chunk buffers and requests only while
 * its {@link TransferManager} lets it run (a bounded pool per group). A step that fails here
 * (the temp file cannot be created, opened, written or closed) ends the transfer with a reason
 * ({@link TransferManager#failed}); the manager starts a fresh one for the same file after a
 * backoff. One that cannot go on because no connected member has what it needs says so
 * ({@link TransferManager#stuck}) and is tried again when the peers change or after a backoff.
 */
public final class Transfer {
    private static final Logger LOG = Logger.getLogger(Transfer.class);

    private final TransferHost h;
    private final TransferManager owner;
    private final SafePath target;
    private final Entry entry;
    private final ConflictSource conflict;
    private final CompletableFuture<Void> localPhase = new CompletableFuture<>();
    private List<ChunkRef> chunks;
    private long[] offsets;
    private ChunkReceiver receiver;
    private ChunkRequests requests;
    private PartFile part;
    private boolean cancelled;
    private boolean finishing;
    /** Set on the I/O thread before the engine thread hears the transfer is complete. */
    private volatile boolean sealed;
    private int nextLink;
    private long quietSince;
    private final ChunkListFetch list;
    private final Set<SafePath> sources = new HashSet<>();
    /** Files held for this transfer while it waits for a place in the pool (see {@link #reserveSources}). */
    private Set<SafePath> reserved = Set.of();

    Transfer(TransferHost host, TransferManager owner, SafePath target, Entry entry, ConflictSource conflict) {
        this.h = host;
        this.owner = owner;
        this.target = target;
        this.entry = entry;
        this.conflict = conflict;
        this.list = new ChunkListFetch(new ChunkListFetch.Peers(host.groupId(), link -> owner.newRequest(this, link),
                owner::release, this::pick, host.requestTimeout(), host.stats()), entry.blob(), entry.size(),
                target.toString());
    }

    public SafePath target() {
        return target;
    }

    public Entry entry() {
        return entry;
    }

    public ConflictSource conflict() {
        return conflict;
    }

    public Path tempFile() {
        return part == null ? null : part.path();
    }

    /** Completes once chunks available on disk have been copied (or it is clear there are none). */
    public CompletableFuture<Void> localPhase() {
        return localPhase;
    }

    public long totalBytes() {
        return entry.size();
    }

    public long verifiedBytes() {
        return receiver == null ? 0 : receiver.verifiedBytes();
    }

    /** One line for logs and test diagnostics. */
    public String describe() {
        return target + " blob=" + entry.blob().shortString() + " size=" + entry.size()
                + (conflict != null ? " copy-of=" + conflict.original() : "")
                + " " + (requests == null ? "chunks=?" : requests) + " list-request=" + list.requestId()
                + " list-lacking=" + list.lackingCount() + " local-phase-done=" + localPhase.isDone() + " finishing=" + finishing
                + " cancelled=" + cancelled;
    }

    boolean sameJob(Entry e, ConflictSource c) {
        return e.blob().equals(entry.blob()) && java.util.Objects.equals(c, conflict);
    }

    // ------------------------------------------------------------------ engine thread

    void start() {
        if (entry.blob().equals(BlobId.EMPTY)) {
            onChunkList(List.of());
            return;
        }
        var known = h.store().chunkList(entry.blob());
        if (known.isPresent()) {
            onChunkList(known.get());
        } else {
            pump();
        }
    }

    /**
     * Engine thread, when queued: the files that hold chunks of a chunk list already known stay
     * until this transfer has read them, as if it were reading now. Without it a queued file of a
     * renamed directory would find its old copy deleted by the time it starts, and fetch it.
     */
    void reserveSources() {
        var known = entry.blob().equals(BlobId.EMPTY) ? java.util.Optional.<List<ChunkRef>>empty()
                : h.store().chunkList(entry.blob());
        if (known.isEmpty()) {
            return;
        }
        Set<SafePath> s = new HashSet<>();
        for (ChunkRef c : known.get()) {
            for (ChunkIndex.Location l : h.chunkIndex().find(c.hash())) {
                s.add(l.path());
            }
        }
        reserved = s;
        h.readingFrom(s);
    }

    private void releaseReservation() {
        if (!reserved.isEmpty()) {
            Set<SafePath> s = reserved;
            reserved = Set.of();
            h.doneReading(s);
        }
    }

    void cancel() {
        cancelled = true;
        releaseReservation();
        releaseAll();
        localPhaseOver();
        if (part != null) {
            part.closeQuietly();
        }
    }

    private void releaseAll() {
        if (requests != null) {
            requests.cancelAll();
        }
        list.cancel();
    }

    void onChunkList(Link from, Message.BlobChunks m) {
        if (cancelled) {
            return;
        }
        List<ChunkRef> complete = list.onPage(from, m);
        if (complete == null) {
            if (!list.inFlight()) {
                stop("no connected member has its chunk list");
            }
            return;
        }
        h.store().putChunkList(entry.blob(), complete);
        onChunkList(complete);
    }

    private void onChunkList(List<ChunkRef> list) {
        chunks = list;
        offsets = new long[list.size()];
        long off = 0;
        for (int i = 0; i < list.size(); i++) {
            offsets[i] = off;
            off += list.get(i).length();
        }
        receiver = new ChunkReceiver(list,
                ChunkRequests.Slots.of(link -> owner.takeChunkSlot(this) ? owner.newRequest(this, link) : -1,
                        owner::returnChunkSlot),
                new ChunkReceiver.Owner(h.io(), h.engineThread(), h.stats(), () -> cancelled, this::pump),
                this::write, target.toString());
        requests = receiver.requests();
        try {
            part = PartFile.of(h.folder(), entry.blob(), target);
        } catch (IOException e) {
            releaseReservation();
            fail("cannot create temp files: " + why(e));
            return;
        }
        // Where chunks already sit in the folder: looked up here, read on the I/O threads.
        Map<Integer, List<ChunkIndex.Location>> local = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            List<ChunkIndex.Location> locs = h.chunkIndex().find(list.get(i).hash());
            if (!locs.isEmpty()) {
                local.put(i, locs);
            }
        }
        for (List<ChunkIndex.Location> locs : local.values()) {
            for (ChunkIndex.Location l : locs) {
                sources.add(l.path());
            }
        }
        h.readingFrom(sources);
        releaseReservation(); // after: what it reads now stays held without a gap
        h.io().execute(() -> prepare(local));
    }

    /** Engine thread: the local phase is over (done, failed or cancelled). */
    private void localPhaseOver() {
        if (!localPhase.isDone()) {
            localPhase.complete(null);
            h.doneReading(sources);
        }
    }

    /** I/O thread: open or resume the temp file, copy local chunks. */
    private void prepare(Map<Integer, List<ChunkIndex.Location>> local) {
        BitSet resumed = new BitSet(chunks.size());
        BitSet reused = new BitSet(chunks.size());
        try {
            if (part.open(entry.size())) {
                for (int i = 0; i < chunks.size(); i++) {
                    byte[] data = part.read(offsets[i], chunks.get(i).length());
                    if (data != null && chunks.get(i).hash().matches(data, 0, data.length)) {
                        resumed.set(i);
                    }
                }
            }
            for (var e : local.entrySet()) {
                int i = e.getKey();
                if (resumed.get(i)) {
                    continue;
                }
                for (ChunkIndex.Location loc : e.getValue()) {
                    byte[] data = ChunkServer.readLocal(h.root(), loc);
                    if (data != null && chunks.get(i).hash().matches(data, 0, data.length)) {
                        part.write(data, offsets[i]);
                        reused.set(i);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            String reason = "cannot create temp files: " + why(e);
            part.closeQuietly();
            h.engineThread().execute(() -> fail(reason));
            return;
        }
        h.engineThread().execute(() -> {
            if (cancelled) {
                localPhaseOver();
                part.closeQuietly();
                return;
            }
            // Nothing was asked yet (that waits for the local phase), so all of these count.
            long resumedBytes = receiver.alreadyHave(resumed);
            long reusedBytes = receiver.alreadyHave(reused);
            h.stats().chunkBytesResumed.add(resumedBytes);
            h.stats().chunkBytesReused.add(reusedBytes);
            if (resumedBytes > 0) {
                LOG.infof("resuming %s: %d of %d bytes already verified", target, resumedBytes, entry.size());
            }
            localPhaseOver();
            pump();
        });
    }

    /** Sends requests up to the in-flight limit; finishes when every chunk is verified. */
    void pump() {
        if (cancelled || chunks == null || part == null || !part.opened() || finishing || !localPhase.isDone()) {
            if (chunks == null && !list.inFlight() && !cancelled) {
                list.ask();
                if (!list.inFlight()) {
                    stop("no connected member has its chunk list");
                }
            }
            return;
        }
        if (requests.allDone()) {
            finish();
            return;
        }
        requests.send(h.chunkRequestsInFlight(), this::pick, h.groupId(), h.requestTimeout());
        if (!requests.quiet() || owner.waitingForSlot(this)) {
            quietSince = 0;
        }
    }

    /**
     * Nothing asked and nothing to ask of anyone for a whole request timeout (every connected
     * member lacks a missing chunk, or none is connected): the transfer gives its place in the
     * pool up. A single "not found" is not enough: the peer may have the chunk a moment later.
     */
    private void checkProgress(long now) {
        if (cancelled || finishing || requests == null || part == null || !part.opened() || !localPhase.isDone()
                || requests.allDone() || !requests.quiet() || owner.waitingForSlot(this)) {
            quietSince = 0;
            return;
        }
        if (quietSince == 0) {
            quietSince = now;
        } else if (now - quietSince > h.requestTimeout().toNanos()) {
            stop("no connected member has all of its chunks");
        }
    }

    /** Engine thread: a local step failed; the manager retries the file with a fresh transfer after a backoff. */
    private void fail(String reason) {
        if (cancelled) {
            return;
        }
        cancel();
        owner.failed(this, reason);
    }

    /** Engine thread: nobody connected can give what is missing; tried again when peers change or later. */
    private void stop(String reason) {
        if (cancelled) {
            return;
        }
        cancel();
        owner.stuck(this, reason);
    }

    /** An I/O error as a user reads it: "too many open files" rather than a path and an errno name. */
    public static String why(IOException e) {
        return org.savesync.core.failure.Failure.describeWithoutPath(e);
    }

    private Link pick(Set<NodeId> exclude) {
        List<Link> links = h.links();
        for (int n = 0; n < links.size(); n++) {
            Link l = links.get(Math.floorMod(nextLink++, links.size()));
            if (l.isOpen() && !exclude.contains(l.remote())) {
                return l;
            }
        }
        return null;
    }

    void onChunkData(Link from, Message.ChunkData m) {
        if (receiver != null) {
            receiver.onChunkData(from, m);
        }
    }

    /** I/O thread: a verified chunk goes to its place in the temp file. */
    private ChunkReceiver.Kept write(int i, ChunkRef chunk, byte[] data) {
        try {
            part.write(data, offsets[i]);
            return ChunkReceiver.Kept.YES;
        } catch (ClosedChannelException e) {
            // cancelled meanwhile (superseded or stopped): the engine thread drops the answer
            LOG.debugf("the temp file of %s was closed while a chunk was written: the transfer was cancelled", target);
            return ChunkReceiver.Kept.NO;
        } catch (IOException e) {
            // Our disk, not the peer: the transfer is retried, the peer is not blamed.
            String reason = "cannot write temp files: " + why(e);
            h.engineThread().execute(() -> fail(reason));
            return ChunkReceiver.Kept.FAILED;
        }
    }

    /** Re-sends what timed out or went over a link that closed. */
    void tick(boolean peersChanged) {
        long now = System.nanoTime();
        if (chunks == null) {
            list.tick(now, peersChanged);
        }
        if (requests != null) {
            // A peer that lacked a chunk may have it now (it fetched or materialised it since).
            requests.expire(now, peersChanged);
        }
        pump();
        checkProgress(now);
    }

    /**
     * I/O thread: readies the finished temp file for its commit ({@link org.savesync.core.folder.SafeFolder#seal}: mode,
     * mtime and fsync), so that the commit on the engine thread only checks and renames. One that
     * fails is left to the commit, which does it again and reports what fails.
     */
    private void seal() {
        try {
            h.folder().seal(part.path(), target.toString(), entry.mtimeNanos(), entry.executable());
            sealed = true;
        } catch (IOException | RuntimeException e) {
            sealed = false;
        }
    }

    /** Whether the temp file is {@link #seal}ed with this mtime and mode (then the commit need not do it again). */
    public boolean sealedAs(long mtimeNanos, boolean executable) {
        return sealed && entry.mtimeNanos() == mtimeNanos && entry.executable() == executable;
    }

    private void finish() {
        finishing = true;
        releaseAll();
        h.io().execute(() -> {
            try {
                part.close();
                seal();
                h.engineThread().execute(() -> {
                    if (!cancelled) {
                        owner.released(this); // the temp file is closed: its pool slot is free
                        h.transferComplete(this);
                    }
                });
            } catch (IOException e) {
                String reason = "cannot close temp files: " + why(e);
                h.engineThread().execute(() -> fail(reason));
            }
        });
    }
}
