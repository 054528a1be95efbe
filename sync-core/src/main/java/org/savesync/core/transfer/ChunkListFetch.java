package org.savesync.core.transfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.engine.EngineStats;
import org.savesync.core.engine.EngineStats.Refusal;
import org.savesync.core.engine.Link;
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
 */
public final class ChunkListFetch {
    private static final Logger LOG = Logger.getLogger(ChunkListFetch.class);

    /**
     * What a fetch needs from its owner.
     *
     * @param newRequest a fresh request id whose answer is routed back to the owner
     * @param release    the answer to that id will not be awaited any more
     * @param pick       an open link to a peer not in the set, or null when there is none
     */
    public record Peers(GroupId group, LongSupplier newRequest, LongConsumer release, Function<Set<NodeId>, Link> pick,
                        Duration timeout, EngineStats stats) {
    }

    private final Peers peers;
    private final BlobId blob;
    private final long expectedSize;
    private final String what;
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
        request = peers.newRequest().getAsLong();
        link = l;
        deadline = System.nanoTime() + peers.timeout().toNanos();
        l.send(new Message.BlobRequest(request, peers.group(), blob, soFar.size()));
    }

    /**
     * A page arrived. Returns the whole list once it is complete and verified; null while
     * more pages are needed or another peer had to be asked (which this does itself).
     */
    public List<ChunkRef> onPage(Link from, Message.BlobChunks m) {
        if (m.requestId() != request) {
            return null;
        }
        cancel();
        if (!m.found() || m.firstChunk() != soFar.size()) {
            lacking.add(from.remote());
            soFar.clear();
            ask();
            return null;
        }
        soFar.addAll(m.chunks());
        if (soFar.size() < m.totalChunks() && !m.chunks().isEmpty()) {
            ask();
            return null;
        }
        List<ChunkRef> list = List.copyOf(soFar);
        soFar.clear();
        long size = list.stream().mapToLong(ChunkRef::length).sum();
        if (!BlobId.of(list).equals(blob) || (expectedSize >= 0 && size != expectedSize)) {
            peers.stats().refused(Refusal.BAD_CHUNK_LIST);
            LOG.warnf("%s sent a chunk list for %s that does not match its blob id or size; asking another peer",
                    from.remote(), what);
            lacking.add(from.remote());
            ask();
            return null;
        }
        return list;
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
