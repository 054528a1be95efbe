package org.savesync.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Plain counters an operator (and a test) can read. Refusals are counted by reason. */
public final class EngineStats {
    /** Why an entry, message or peer was refused. */
    public enum Refusal {
        BAD_SIGNATURE, NOT_A_MEMBER, HLC_IN_FUTURE, SEQ_REUSED, UNSAFE_PATH, PATH_THROUGH_SYMLINK, INVALID_ENTRY,
        WRONG_GROUP, BAD_MEMBER_LIST, BAD_CHUNK, BAD_CHUNK_LIST, PROTOCOL_ERROR, BAD_HELLO, JOIN_REFUSED, JOIN_RATE_LIMITED,
        REGISTRATION_REFUSED, TICKET_REFUSED, LEAVE_REFUSED,
        /** A chunk-list or chunk answer to no request outstanding on the link it came on. */
        UNSOLICITED_ANSWER
    }

    public final LongAdder entriesPublished = new LongAdder();
    public final LongAdder entriesReceived = new LongAdder();
    public final LongAdder bytesHashed = new LongAdder();
    /** Files published at a new path with the content of one that moved there, without hashing. */
    public final LongAdder renamesDetected = new LongAdder();
    public final LongAdder chunkBytesServed = new LongAdder();
    public final LongAdder chunksServed = new LongAdder();
    public final LongAdder chunkBytesFetched = new LongAdder();
    public final LongAdder chunkBytesReused = new LongAdder();
    public final LongAdder chunkBytesResumed = new LongAdder();
    public final LongAdder filesMaterialised = new LongAdder();
    public final LongAdder conflictCopies = new LongAdder();
    /** The most chunk requests one group had outstanding at once (bounded by Protocol.MAX_CHUNK_REQUESTS_PER_GROUP). */
    public final java.util.concurrent.atomic.LongAccumulator chunkRequestsPeak =
            new java.util.concurrent.atomic.LongAccumulator(Long::max, 0);
    private final Map<Refusal, LongAdder> refusals = new ConcurrentHashMap<>();

    public void refused(Refusal reason) {
        refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long refusals(Refusal reason) {
        LongAdder a = refusals.get(reason);
        return a == null ? 0 : a.sum();
    }

    public long refusalsTotal() {
        return refusals.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public String toString() {
        return "published=" + entriesPublished + " received=" + entriesReceived + " hashed=" + bytesHashed
                + " renames=" + renamesDetected
                + " served=" + chunkBytesServed + " fetched=" + chunkBytesFetched + " reused=" + chunkBytesReused
                + " resumed=" + chunkBytesResumed + " refusals=" + refusals;
    }
}
