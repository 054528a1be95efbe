package org.savesync.core.transfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.chunking.ChunkingParams;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.protocol.Link;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Message;

/**
 * Fetches one blob's chunk list from a group's peers, page by page ({@code BlobRequest} →
 * {@code BlobChunks}, at most {@code Protocol.MAX_CHUNKS_PER_PAGE} chunks a page), one request
 * outstanding. A peer that lacks the list, answers out of order, or sends a list that does not
 * hash to the blob (or does not add up to the expected size) is skipped for it; a request left
 * unanswered past the timeout, or sent over a link that closed, is asked again. Used by the
 * transfers that fill files and by a full replica's blob fetches. Engine thread only.
 *
 * <p>Limits: only a page from the link the request went to, answering that request, is read
 * (the engine drops the rest already). A list is read only up to the chunks its blob can have:
 * {@code size / ChunkingParams.MIN_SIZE + 1} when the size is known (every chunk but the last is
 * at least the minimum), {@link #MAX_CHUNKS_UNKNOWN_SIZE} otherwise. A page that announces more,
 * restates a different total, or overruns it ends the fetch from that peer at once.
 */
public final class ChunkListFetch {
    private static final Logger LOG = Logger.getLogger(ChunkListFetch.class);
    /**
     * Chunks a list of a blob whose size is not known may have: 2^20, 64 GiB of minimum-size
     * chunks (far more at the average size), about 40 MiB of chunk refs.
     */
    public static final int MAX_CHUNKS_UNKNOWN_SIZE = 1 << 20;

    /**
     * What a fetch needs from its owner.
     *
     * @param newRequest a fresh request id, for a request sent over the link given, whose answer is routed back to the owner
     * @param release    the answer to that id will not be awaited any more
     * @param pick       an open link to a peer not in the set, or null when there is none
     */
    public record Peers(GroupId group, ToLongFunction<Link> newRequest, LongConsumer release, Function<Set<NodeId>, Link> pick,
                        Duration timeout, EngineStats stats) {
    }

    private final Peers peers;
    private final BlobId blob;
    private final long expectedSize;
    private final String what;
    private final int maxChunks;
    private int total = -1;
    private final Set<NodeId> lacking = new HashSet<>();
    private final List<ChunkRef> soFar = new ArrayList<>();
    private long request = -1;
    private Link link;
    private long deadline;

    /**
     * @param expectedSize the blob's size as its entry says, or -1 when only the blob id is known
     * @param what         names the file or blob in log lines
     */
    public ChunkListFetch(Peers peers, BlobId blob, long expectedSize, String what) {
        this.peers = peers;
        this.blob = blob;
        this.expectedSize = expectedSize;
        this.what = what;
        this.maxChunks = maxChunks(expectedSize);
    }

    /** The most chunks a list of a blob of {@code size} bytes (or -1: unknown) can have. */
    static int maxChunks(long size) {
        if (size < 0) {
            return MAX_CHUNKS_UNKNOWN_SIZE;
        }
        return (int) Math.min(Integer.MAX_VALUE, size / ChunkingParams.MIN_SIZE + 1);
    }

    /** A request is outstanding. */
    public boolean inFlight() {
        return request >= 0;
    }

    public long requestId() {
        return request;
    }

    /** Peers that said they lack the list (or sent a bad one) since the last {@link #tick} with changed peers. */
    public int lackingCount() {
        return lacking.size();
    }

    /** Asks the next peer not known to lack the list; nothing when no such peer is connected now. */
    public void ask() {
        Link l = peers.pick().apply(lacking);
        if (l == null) {
            return; // no peer has it now: asked again when peers change or on the next tick
        }
        request = peers.newRequest().applyAsLong(l);
        link = l;
        deadline = System.nanoTime() + peers.timeout().toNanos();
        l.send(new Message.BlobRequest(request, peers.group(), blob, soFar.size()));
    }

    /**
     * A page arrived. Returns the whole list once it is complete and verified; null while
     * more pages are needed or another peer had to be asked (which this does itself).
     */
    public List<ChunkRef> onPage(Link from, Message.BlobChunks m) {
        if (m.requestId() != request || from != link) {
            return null;
        }
        cancel();
        if (!m.found() || m.firstChunk() != soFar.size()) {
            lacking.add(from.remote());
            restart();
            return null;
        }
        if (!plausible(m)) {
            peers.stats().refused(Refusal.BAD_CHUNK_LIST);
            PeerLog.warn(LOG, "%s announced %d chunks (page of %d at %d) for %s, which can have at most %d; asking another peer",
                    from.remote(), m.totalChunks(), m.chunks().size(), m.firstChunk(), what,
                    total >= 0 ? Math.min(total, maxChunks) : maxChunks);
            lacking.add(from.remote());
            restart();
            return null;
        }
        total = m.totalChunks();
        soFar.addAll(m.chunks());
        if (soFar.size() < total && !m.chunks().isEmpty()) {
            ask();
            return null;
        }
        List<ChunkRef> list = List.copyOf(soFar);
        restartQuietly();
        long size = list.stream().mapToLong(ChunkRef::length).sum();
        if (!BlobId.of(list).equals(blob) || (expectedSize >= 0 && size != expectedSize)) {
            peers.stats().refused(Refusal.BAD_CHUNK_LIST);
            PeerLog.warn(LOG, "%s sent a chunk list for %s that does not match its blob id or size; asking another peer",
                    from.remote(), what);
            lacking.add(from.remote());
            ask();
            return null;
        }
        return list;
    }

    /** The page keeps within what this blob can have and what the earlier pages announced. */
    private boolean plausible(Message.BlobChunks m) {
        int announced = m.totalChunks();
        if (announced < 0 || announced > maxChunks || (total >= 0 && announced != total)) {
            return false;
        }
        return (long) m.firstChunk() + m.chunks().size() <= announced;
    }

    private void restart() {
        restartQuietly();
        ask();
    }

    private void restartQuietly() {
        soFar.clear();
        total = -1;
    }

    /** Drops a request that timed out or whose link closed; forgets who lacked the list when peers changed. */
    public void tick(long nowNanos, boolean peersChanged) {
        if (request >= 0 && (nowNanos > deadline || !link.isOpen())) {
            cancel();
        }
        if (peersChanged || request < 0) {
            lacking.clear();
        }
    }

    /** Stops awaiting the outstanding request, if any. */
    public void cancel() {
        if (request >= 0) {
            peers.release().accept(request);
            request = -1;
        }
    }
}
