package org.savesync.core.transfer;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.protocol.Link;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Message;

/**
 * The chunk requests of one blob being fetched: which chunks are verified, which are asked
 * for (of which peer, until when), and which peers said they lack a chunk or sent a bad copy.
 * A chunk is asked of one peer at a time, round robin over the peers that are not known to
 * lack it; a request that times out or whose link closes is dropped so the chunk is asked
 * again. Request ids and the group's request budget come from the owner ({@link Slots}); a
 * request holds its slot until its answer is verified and written (or refused), so chunks
 * received faster than they can be written never pile up beyond the budget.
 * Used by file transfers and by a full replica's blob fetches. Engine thread only.
 */
public final class ChunkRequests {
    /** The owner's request ids and budget. */
    public interface Slots {
        /**
         * A request id for a request sent over {@code link}, whose answer (from that link only) is
         * routed back to the owner, taking one slot of the budget; -1 when the budget is spent.
         */
        long take(Link link);

        /** The request is answered, timed out or dropped: its slot is free again. */
        void giveBack(long requestId);

        /** Slots from two functions: the owner's {@link #take} and {@link #giveBack}. */
        static Slots of(ToLongFunction<Link> take, LongConsumer giveBack) {
            return new Slots() {
                @Override
                public long take(Link link) {
                    return take.applyAsLong(link);
                }

                @Override
                public void giveBack(long requestId) {
                    giveBack.accept(requestId);
                }
            };
        }
    }

    private record Sent(int index, Link link, long deadlineNanos) {
    }

    private final List<ChunkRef> chunks;
    private final BitSet done;
    private final BitSet requested;
    private final Map<Long, Sent> pending = new HashMap<>();
    /** Answered requests whose chunk is being verified and written, by chunk index: they keep their slot. */
    private final Map<Integer, Long> processing = new HashMap<>();
    private final Map<Integer, Set<NodeId>> lacking = new HashMap<>();
    private final Slots slots;

    public ChunkRequests(List<ChunkRef> chunks, Slots slots) {
        this.chunks = chunks;
        this.slots = slots;
        this.done = new BitSet(chunks.size());
        this.requested = new BitSet(chunks.size());
    }

    public int doneCount() {
        return done.cardinality();
    }

    public boolean allDone() {
        return done.cardinality() == chunks.size();
    }

    public int pendingCount() {
        return pending.size();
    }

    /** No request outstanding and no answer being verified. */
    public boolean quiet() {
        return pending.isEmpty() && processing.isEmpty() && requested.isEmpty();
    }

    /** Marks chunks found verified without asking anyone (already on disk); returns their bytes. */
    public long alreadyHave(BitSet have) {
        long bytes = 0;
        for (int i = have.nextSetBit(0); i >= 0; i = have.nextSetBit(i + 1)) {
            if (!done.get(i)) {
                done.set(i);
                bytes += chunks.get(i).length();
            }
        }
        return bytes;
    }

    /**
     * Asks for wanted chunks while fewer than {@code maxInFlight} are outstanding or being
     * written and the budget lasts; {@code pick} gives an open link to a peer outside the set,
     * or null.
     */
    public void send(int maxInFlight, Function<Set<NodeId>, Link> pick, GroupId group, Duration timeout) {
        for (int i = nextWanted(0); i >= 0 && pending.size() + processing.size() < maxInFlight;
             i = nextWanted(i + 1)) {
            Link link = pick.apply(lacking.getOrDefault(i, Set.of()));
            if (link == null) {
                continue;
            }
            long id = slots.take(link);
            if (id < 0) {
                return; // the budget is spent: the owner asks again when a slot is free
            }
            pending.put(id, new Sent(i, link, System.nanoTime() + timeout.toNanos()));
            requested.set(i);
            link.send(new Message.ChunkRequest(id, group, chunks.get(i).hash()));
        }
    }

    private int nextWanted(int from) {
        for (int i = from; i < chunks.size(); i++) {
            if (!done.get(i) && !requested.get(i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An answer to request {@code id} arrived: the chunk's index, which stays requested (and
     * keeps its slot) until {@link #verified} or {@link #lacks}; -1 when the request is not
     * awaited (late, duplicate, dropped, or asked of another link than {@code from}).
     */
    public int answered(long id, Link from) {
        Sent s = pending.get(id);
        if (s == null || s.link() != from) {
            return -1;
        }
        pending.remove(id);
        processing.put(s.index(), id);
        return s.index();
    }

    private void settle(int i) {
        Long id = processing.remove(i);
        if (id != null) {
            slots.giveBack(id);
        }
        requested.clear(i);
    }

    /** {@code peer} lacks chunk {@code i} or sent a bad copy: it is asked of another peer. */
    public void lacks(int i, NodeId peer) {
        lacking.computeIfAbsent(i, k -> new HashSet<>()).add(peer);
        settle(i);
    }

    /** Chunk {@code i} is verified and written; true when it was not done before. */
    public boolean verified(int i) {
        settle(i);
        if (done.get(i)) {
            return false;
        }
        done.set(i);
        return true;
    }

    /**
     * Drops requests that timed out or went over a link that closed. When the peers changed,
     * or nothing is outstanding, forgets who lacked what: a peer may have the chunk by now.
     */
    public void expire(long nowNanos, boolean peersChanged) {
        for (Iterator<Map.Entry<Long, Sent>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (nowNanos > e.getValue().deadlineNanos() || !e.getValue().link().isOpen()) {
                it.remove();
                slots.giveBack(e.getKey());
                requested.clear(e.getValue().index());
            }
        }
        if (peersChanged || pending.isEmpty()) {
            lacking.clear();
        }
    }

    /** Gives every outstanding (or still processed) request's slot back. */
    public void cancelAll() {
        pending.keySet().forEach(slots::giveBack);
        pending.clear();
        processing.values().forEach(slots::giveBack);
        processing.clear();
    }

    @Override
    public String toString() {
        return "chunks=" + done.cardinality() + "/" + chunks.size() + " pending=" + pending.size() + " processing="
                + processing.size() + " lacking=" + lacking;
    }
}
