package org.savesync.core.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.stats.EngineStats;

/**
 * What one link's messages may hold on this node between the network and the engine thread:
 * at most {@link #MAX_MESSAGES} messages and {@link #MAX_BYTES} bytes (estimated from their
 * content) waiting, of which at most {@link #MAX_BATCHES_VERIFYING} entry batches waiting for
 * or in signature verification. A message past a bound is dropped and counted
 * ({@link EngineStats.Refusal#QUEUE_FULL}): every message of the member protocol is sent
 * again by anti-entropy, and an honest peer stays far below the bounds (it sends at most
 * {@link IndexExchange#BATCHES_IN_FLIGHT} unacknowledged batches per group). So a peer that
 * floods costs bounded memory and verification work, and others' messages are not held up
 * behind its backlog for longer than that backlog takes.
 *
 * <p>Chunk lists and chunk data are not counted here: they answer this node's own requests,
 * which the transfers bound. Thread-safe: called from network threads and the engine thread.
 */
final class InboundBudget {
    static final int MAX_MESSAGES = 1024;
    static final long MAX_BYTES = 16L * 1024 * 1024;
    static final int MAX_BATCHES_VERIFYING = 8;
    /** Bookkeeping per message, beside its content. */
    private static final int OVERHEAD = 64;

    private final Map<Link, Budget> links = new ConcurrentHashMap<>();
    private final EngineStats stats;

    InboundBudget(EngineStats stats) {
        this.stats = stats;
    }

    /** What one admitted message holds of its link's budget; give it back with {@link #release}. */
    record Ticket(Budget budget, long bytes, boolean verifying) {
    }

    static final class Budget {
        final AtomicInteger messages = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger verifying = new AtomicInteger();
    }

    /**
     * Admits a message of {@code link} (an entry batch also for verification), or returns
     * null when that would pass one of the link's bounds; the caller then drops the message.
     */
    Ticket admit(Link link, Message m) {
        Budget b = links.computeIfAbsent(link, l -> new Budget());
        long w = weight(m);
        boolean batch = m instanceof Message.EntryBatch;
        if (batch && b.verifying.incrementAndGet() > MAX_BATCHES_VERIFYING) {
            b.verifying.decrementAndGet();
            return null;
        }
        int n = b.messages.incrementAndGet();
        long bytes = b.bytes.addAndGet(w);
        if (n > MAX_MESSAGES || (bytes > MAX_BYTES && n > 1)) {
            b.messages.decrementAndGet();
            b.bytes.addAndGet(-w);
            if (batch) {
                b.verifying.decrementAndGet();
            }
            return null;
        }
        stats.inboundBytesPeak.accumulate(bytes);
        stats.inboundMessagesPeak.accumulate(n);
        if (batch) {
            stats.batchesVerifyingPeak.accumulate(b.verifying.get());
        }
        return new Ticket(b, w, batch);
    }

    /** The batch's signatures are checked: it no longer counts as verifying (it still waits for the engine). */
    void verified(Ticket t) {
        if (t.verifying()) {
            t.budget().verifying.decrementAndGet();
        }
    }

    /** The engine thread is done with the message. */
    void release(Ticket t) {
        t.budget().messages.decrementAndGet();
        t.budget().bytes.addAndGet(-t.bytes());
    }

    void linkGone(Link link) {
        links.remove(link);
    }

    /** An estimate of the memory a decoded message holds, from the sizes of what it carries. */
    static long weight(Message m) {
        long w = OVERHEAD;
        switch (m) {
            case Message.EntryBatch b -> w += records(b.entries());
            case Message.MemberListUpdate u -> w += record(u.list()) + record(u.handover());
            case Message.Knowledge k -> w += 48L * k.marks().size();
            case Message.PeerAddresses p -> {
                for (Message.PeerAddress a : p.peers()) {
                    w += 48 + strings(a.addresses());
                }
            }
            case Message.Hello h -> w += strings(h.listenAddresses()) + 2L * h.nodeName().length();
            case Message.ErrorNotice e -> w += 2L * e.message().length();
            default -> {
            }
        }
        return w;
    }

    private static long records(List<SignedRecord> rs) {
        long w = 0;
        for (SignedRecord r : rs) {
            w += record(r);
        }
        return w;
    }

    private static long record(SignedRecord r) {
        return r == null ? 0 : 16L + r.signedBytes().length + r.signature().length;
    }

    private static long strings(List<String> l) {
        long w = 0;
        for (String s : l) {
            w += 16 + 2L * s.length();
        }
        return w;
    }
}
