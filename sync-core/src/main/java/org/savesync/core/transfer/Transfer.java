package org.savesync.core.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.stats.EngineStats.Refusal;
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
 *   2. temp file: a name derived from (blob, path), so a restart finds it again; every chunk
 *      already in it is re-hashed and kept when it matches (resume without re-fetching)
 *   3. local chunks: copied from files in the folder (renames, moves, conflict copies)
 *      and verified; then the {@link #localPhase()} completes, which is what deletes and
 *      overwrites in the folder wait for
 *   4. remote chunks: ChunkRequests to the group's peers, round robin, at most
 *      chunkRequestsInFlight outstanding; a peer that lacks a chunk is skipped for it; each
 *      answer is hashed before it is written; unanswered requests are re-sent after the
 *      request timeout
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
    private ChunkRequests requests;
    private Path temp;
    private FileChannel channel;
    private long verifiedBytes;
    private boolean cancelled;
    private boolean finishing;
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
        return temp;
    }

    /** Completes once chunks available on disk have been copied (or it is clear there are none). */
    public CompletableFuture<Void> localPhase() {
        return localPhase;
    }

    public long totalBytes() {
        return entry.size();
    }

    public long verifiedBytes() {
        return verifiedBytes;
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

    /** The temp file name: stable for the same content at the same path, so a restart resumes it. */
    static String tempKey(BlobId blob, SafePath path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(blob.bytes());
            md.update(path.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        closeChannel();
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
        requests = new ChunkRequests(list, new ChunkRequests.Slots() {
            @Override
            public long take(Link link) {
                return owner.takeChunkSlot(Transfer.this) ? owner.newRequest(Transfer.this, link) : -1;
            }

            @Override
            public void giveBack(long requestId) {
                owner.returnChunkSlot(requestId);
            }
        });
        try {
            temp = h.folder().tempFileFor(tempKey(entry.blob(), target));
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
            boolean existed = Files.exists(temp, LinkOption.NOFOLLOW_LINKS);
            channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            if (existed && channel.size() == entry.size()) {
                for (int i = 0; i < chunks.size(); i++) {
                    byte[] data = ChunkServer.readFully(channel, offsets[i], chunks.get(i).length());
                    if (data != null && chunks.get(i).hash().matches(data, 0, data.length)) {
                        resumed.set(i);
                    }
                }
            } else {
                channel.truncate(0);
                if (entry.size() > 0) {
                    channel.write(ByteBuffer.wrap(new byte[1]), entry.size() - 1); // sized, sparse
                }
            }
            for (var e : local.entrySet()) {
                int i = e.getKey();
                if (resumed.get(i)) {
                    continue;
                }
                for (ChunkIndex.Location loc : e.getValue()) {
                    byte[] data = readLocal(loc);
                    if (data != null && chunks.get(i).hash().matches(data, 0, data.length)) {
                        writeFully(data, offsets[i]);
                        reused.set(i);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            String reason = "cannot create temp files: " + why(e);
            closeChannel();
            h.engineThread().execute(() -> fail(reason));
            return;
        }
        h.engineThread().execute(() -> {
            if (cancelled) {
                localPhaseOver();
                closeChannel();
                return;
            }
            long resumedBytes = bytesOf(resumed);
            long reusedBytes = bytesOf(reused);
            requests.alreadyHave(resumed);
            requests.alreadyHave(reused);
            verifiedBytes += resumedBytes + reusedBytes;
            h.stats().chunkBytesResumed.add(resumedBytes);
            h.stats().chunkBytesReused.add(reusedBytes);
            if (resumedBytes > 0) {
                LOG.infof("resuming %s: %d of %d bytes already verified", target, resumedBytes, entry.size());
            }
            localPhaseOver();
            pump();
        });
    }

    private long bytesOf(BitSet set) {
        long n = 0;
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
            n += chunks.get(i).length();
        }
        return n;
    }

    private byte[] readLocal(ChunkIndex.Location loc) {
        try (FileChannel ch = FileChannel.open(loc.path().resolveIn(h.root()), StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            return ChunkServer.readFully(ch, loc.offset(), loc.length());
        } catch (IOException e) {
            return null;
        }
    }

    private void writeFully(byte[] data, long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
            channel.write(buf, offset + buf.position());
        }
    }

    /** Sends requests up to the in-flight limit; finishes when every chunk is verified. */
    void pump() {
        if (cancelled || chunks == null || channel == null || finishing || !localPhase.isDone()) {
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
        if (cancelled || finishing || requests == null || channel == null || !localPhase.isDone()
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
        int i = requests == null ? -1 : requests.answered(m.requestId(), from);
        if (i < 0 || cancelled) {
            return; // late or duplicate answer
        }
        ChunkRef want = chunks.get(i);
        if (!m.found()) {
            requests.lacks(i, from.remote());
            pump();
            return;
        }
        byte[] data = m.data();
        if (data.length != want.length() || !m.hash().equals(want.hash())) {
            reject(from, i);
            return;
        }
        h.io().execute(() -> {
            boolean ok = want.hash().matches(data, 0, data.length);
            if (ok) {
                try {
                    writeFully(data, offsets[i]);
                    // Counted right after the write, on this thread: even if the engine stops
                    // now, what is counted is exactly what a resume will find in the temp file.
                    h.stats().chunkBytesFetched.add(data.length);
                } catch (java.nio.channels.ClosedChannelException e) {
                    ok = false; // cancelled meanwhile (superseded or stopped): the engine thread drops the answer
                    LOG.debugf("the temp file of %s was closed while a chunk was written: the transfer was cancelled",
                            target);
                } catch (IOException e) {
                    // Our disk, not the peer: the transfer is retried, the peer is not blamed.
                    String reason = "cannot write temp files: " + why(e);
                    h.engineThread().execute(() -> fail(reason));
                    return;
                }
            }
            boolean verified = ok;
            h.engineThread().execute(() -> {
                if (cancelled) {
                    return;
                }
                if (!verified) {
                    reject(from, i);
                    return;
                }
                if (requests.verified(i)) {
                    verifiedBytes += data.length;
                }
                pump();
            });
        });
    }

    private void reject(Link from, int i) {
        h.stats().refused(Refusal.BAD_CHUNK);
        LOG.warnf("%s sent a chunk for %s that fails verification; asking another peer", from.remote(), target);
        requests.lacks(i, from.remote());
        pump();
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

    private void finish() {
        finishing = true;
        releaseAll();
        h.io().execute(() -> {
            try {
                channel.close();
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

    private void closeChannel() {
        FileChannel c = channel;
        if (c != null && c.isOpen()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a file we only wrote to: nothing to lose, the temp file stays for resume
            }
        }
    }
}
