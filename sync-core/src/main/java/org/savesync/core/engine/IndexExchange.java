package org.savesync.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SignedEntry;

/**
 * The knowledge exchange of one group: each side reports how far it knows every author
 * ({@link Message.Knowledge}), and the side that knows more sends the missing entries in
 * {@link Message.EntryBatch}es of at most {@link Protocol#MAX_ENTRIES_PER_BATCH}.
 *
 * <p>Sending is paced: at most {@link #BATCHES_IN_FLIGHT} batches per peer are on their way
 * and not yet acknowledged (the peer reports its knowledge after storing each batch, and a
 * report at or past a batch's end acknowledges it). So a peer that never reads costs a
 * bounded amount of memory here, and a receiver never has more than that many batches of
 * ours to verify. Batches not acknowledged within an anti-entropy interval count as lost
 * and are sent again from what the peer reported.
 *
 * <p>A peer may have two links to this node (each side dialled): all batches to it go over
 * one of them, the first it reported on, for as long as that link is open and its batches
 * are acknowledged in time (when they count as lost, another link to the peer takes over,
 * if there is one). Two QUIC
 * connections do not keep each other's order, and a batch that arrives before the one it
 * follows is dropped by the receiver ({@link EntryIntake}), which stalls the exchange until
 * the batches count as lost.
 *
 * <p>A peer's reports are kept per peer (it must be a member: the replica checks) and only
 * for authors on the member list, so a report naming made-up authors costs nothing. Runs on
 * the engine thread.
 */
final class IndexExchange {
    /** Entry batches per peer sent and not yet acknowledged. */
    static final int BATCHES_IN_FLIGHT = 4;

    private final GroupReplica r;
    /** Per peer: the batches on their way. */
    private final Map<NodeId, InFlight> sentTo = new HashMap<>();
    /** The knowledge each peer last reported, members' marks only (kept after it disconnects). */
    private final Map<NodeId, Map<NodeId, Long>> reported = new HashMap<>();

    /**
     * The link batches to one peer go over, the ends (seqs) of the batches sent on it, per
     * author, and when one was last acknowledged.
     */
    private static final class InFlight {
        final Link via;
        final Map<NodeId, ArrayDeque<Long>> ends = new HashMap<>();
        int count;
        long progressNanos;

        void acknowledge(NodeId author, long theirs, long now) {
            ArrayDeque<Long> d = ends.get(author);
            while (d != null && !d.isEmpty() && d.peekFirst() <= theirs) {
                d.pollFirst();
                count--;
                progressNanos = now;
            }
        }

        long lastEnd(NodeId author, long otherwise) {
            ArrayDeque<Long> d = ends.get(author);
            return d == null || d.isEmpty() ? otherwise : Math.max(otherwise, d.peekLast());
        }

        void sent(NodeId author, long end, long now) {
            if (count == 0) {
                progressNanos = now;
            }
            ends.computeIfAbsent(author, a -> new ArrayDeque<>()).addLast(end);
            count++;
        }

        InFlight(Link via) {
            this.via = via;
        }

    }

    IndexExchange(GroupReplica r) {
        this.r = r;
    }

    /** The batches sent on {@code link} are lost with it; the peer's next report starts afresh (on any link). */
    void linkGone(Link link) {
        InFlight f = sentTo.get(link.remote());
        if (f != null && f.via == link) {
            sentTo.remove(link.remote());
        }
    }

    Message.Knowledge knowledgeMessage() {
        return new Message.Knowledge(r.id, r.store.knowledge().highest());
    }

    void broadcastKnowledge() {
        Message k = knowledgeMessage();
        for (Link l : r.links()) {
            l.send(k);
        }
    }

    /** The knowledge {@code node} last reported for this group, or null when it never did. */
    Map<NodeId, Long> reportedBy(NodeId node) {
        return reported.get(node);
    }

    /** Whether {@code node}'s last reported knowledge covers everything this node holds. */
    boolean upToDate(NodeId node) {
        Map<NodeId, Long> theirs = reported.get(node);
        if (theirs == null) {
            return false;
        }
        for (var e : r.store.knowledge().highest().entrySet()) {
            if (theirs.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Batches sent to {@code peer} and not acknowledged yet (for tests and diagnostics). */
    int inFlight(NodeId peer) {
        InFlight f = sentTo.get(peer);
        return f == null ? 0 : f.count;
    }

    /** How many authors' marks are kept of {@code peer}'s last report (for tests and diagnostics). */
    int reportedAuthors(NodeId peer) {
        Map<NodeId, Long> m = reported.get(peer);
        return m == null ? 0 : m.size();
    }

    void onKnowledge(Link link, Message.Knowledge k) {
        Map<NodeId, Long> marks = new HashMap<>();
        k.marks().forEach((author, seq) -> {
            if (r.isMember(author)) {
                marks.put(author, seq);
            }
        });
        reported.put(link.remote(), marks);
        KnowledgeVector mine = r.store.knowledge();
        // Keyed by peer, not link: two links to one peer (both dialled) do not double the traffic,
        // and the batches keep one link, so they arrive in the order they were sent.
        InFlight sent = sentTo.get(link.remote());
        if (sent == null || !sent.via.isOpen()) {
            sent = new InFlight(link);
            sentTo.put(link.remote(), sent);
        }
        long now = System.nanoTime();
        for (NodeId author : List.copyOf(sent.ends.keySet())) {
            sent.acknowledge(author, marks.getOrDefault(author, 0L), now);
        }
        if (sent.count > 0 && now - sent.progressNanos >= r.engine.config().antiEntropyInterval().toNanos()) {
            // Lost on the way (or never read): send again from what the peer reported, over another
            // link to it if there is one (the one the batches went over may be open but no longer
            // delivering), else over this one.
            sent = new InFlight(otherLink(link, sent.via));
            sentTo.put(link.remote(), sent);
        }
        for (var e : mine.highest().entrySet()) {
            NodeId author = e.getKey();
            long from = sent.lastEnd(author, marks.getOrDefault(author, 0L));
            while (from < e.getValue() && sent.count < BATCHES_IN_FLIGHT) {
                from = sendBatch(sent.via, author, from, e.getValue());
                sent.sent(author, from, now);
            }
        }
        boolean theyAreAhead = marks.entrySet().stream().anyMatch(e -> e.getValue() > mine.get(e.getKey()));
        if (theyAreAhead) {
            link.send(knowledgeMessage());
        }
    }

    /** {@code reportedOn} if it is not {@code lost}, else another open link to the same peer, else {@code reportedOn}. */
    private Link otherLink(Link reportedOn, Link lost) {
        if (reportedOn != lost) {
            return reportedOn;
        }
        for (Link l : r.links()) {
            if (l != lost && l.isOpen() && l.remote().equals(reportedOn.remote())) {
                return l;
            }
        }
        return reportedOn;
    }

    /** Sends one batch of {@code author}'s entries after {@code from}, up to {@code upTo} at most; returns its end. */
    private long sendBatch(Link link, NodeId author, long from, long upTo) {
        List<SignedEntry> page = r.store.entriesAfter(author, from, Protocol.MAX_ENTRIES_PER_BATCH);
        boolean last = page.size() < Protocol.MAX_ENTRIES_PER_BATCH
                || page.get(page.size() - 1).entry().seq() >= upTo;
        long end = last ? upTo : page.get(page.size() - 1).entry().seq();
        List<SignedRecord> records = new ArrayList<>(page.size());
        for (SignedEntry e : page) {
            if (e.entry().seq() <= end) {
                records.add(new SignedRecord(e.signedBytes(), e.signature()));
            }
        }
        link.send(new Message.EntryBatch(r.id, author, from, end, records));
        return end;
    }
}
