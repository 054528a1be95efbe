package org.savesync.core.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SignedEntry;

/**
 * The knowledge exchange of one group: each side reports how far it knows every author
 * ({@link Message.Knowledge}), and the side that knows more sends the missing entries in
 * {@link Message.EntryBatch}es of at most {@link Protocol#MAX_ENTRIES_PER_BATCH}. Runs on the
 * engine thread.
 */
final class IndexExchange {
    private final GroupReplica r;
    /** Per peer and author: the seq we have sent entries up to, and when that started. */
    private final Map<NodeId, Map<NodeId, long[]>> sentTo = new HashMap<>();
    /** The knowledge each peer last reported (kept after it disconnects). */
    private final Map<NodeId, Map<NodeId, Long>> reported = new HashMap<>();

    IndexExchange(GroupReplica r) {
        this.r = r;
    }

    void linkGone(Link link) {
        sentTo.remove(link.remote());
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

    void onKnowledge(Link link, Message.Knowledge k) {
        reported.put(link.remote(), k.marks());
        KnowledgeVector mine = r.store.knowledge();
        // Keyed by peer, not link: two links to one peer (both dialled) do not double the traffic.
        Map<NodeId, long[]> sent = sentTo.computeIfAbsent(link.remote(), l -> new HashMap<>());
        long now = System.nanoTime();
        long interval = r.engine.config().antiEntropyInterval().toNanos();
        for (var e : mine.highest().entrySet()) {
            long theirs = k.marks().getOrDefault(e.getKey(), 0L);
            if (e.getValue() <= theirs) {
                continue;
            }
            // {upTo, sentAtNanos}: batches already on their way are not sent again unless
            // the peer has not caught up with them within an anti-entropy interval (lost).
            long[] s = sent.get(e.getKey());
            boolean inFlight = s != null && s[0] > theirs && now - s[1] < interval;
            long from = inFlight ? Math.max(theirs, s[0]) : theirs;
            if (from < e.getValue()) {
                sendBatches(link, e.getKey(), from, e.getValue());
                sent.put(e.getKey(), new long[] {e.getValue(), inFlight ? s[1] : now});
            }
        }
        boolean theyAreAhead = k.marks().entrySet().stream().anyMatch(e -> e.getValue() > mine.get(e.getKey()));
        if (theyAreAhead) {
            link.send(knowledgeMessage());
        }
    }

    private void sendBatches(Link link, NodeId author, long from, long upTo) {
        long cursor = from;
        while (cursor < upTo) {
            List<SignedEntry> page = r.store.entriesAfter(author, cursor, Protocol.MAX_ENTRIES_PER_BATCH);
            boolean last = page.size() < Protocol.MAX_ENTRIES_PER_BATCH
                    || page.get(page.size() - 1).entry().seq() >= upTo;
            long end = last ? upTo : page.get(page.size() - 1).entry().seq();
            List<SignedRecord> records = new ArrayList<>(page.size());
            for (SignedEntry e : page) {
                if (e.entry().seq() <= end) {
                    records.add(new SignedRecord(e.signedBytes(), e.signature()));
                }
            }
            link.send(new Message.EntryBatch(r.id, author, cursor, end, records));
            cursor = end;
        }
    }
}
