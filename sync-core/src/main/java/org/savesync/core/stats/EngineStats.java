package org.savesync.core.stats;

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
        /** Entries whose author is a member with the READER role (joined with a read-only invite). */
        READ_ONLY,
        /** A message past its link's {@code InboundBudget}: dropped, anti-entropy sends it again. */
        QUEUE_FULL,
        /** A chunk-list or chunk answer to no request outstanding on the link it came on. */
        UNSOLICITED_ANSWER,
        /** A chunk request beyond what one peer may have waiting to be served. */
        SERVE_QUEUE_FULL,
        /** A group message (other than its member list and proofs) on a link that has not proven the group secret. */
        UNPROVEN_LINK,
        /** A group proof with a wrong MAC, or (at the authority) an epoch it never made. */
        BAD_GROUP_PROOF,
        /** A group secret update from a node that is not the group's authority. */
        SECRET_NOT_FROM_AUTHORITY
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
    /** Of those, files whose temp file was sealed (mode, mtime, fsync) on an I/O thread ahead of the commit. */
    public final LongAdder filesSealedAhead = new LongAdder();
    public final LongAdder conflictCopies = new LongAdder();
    /** Blob fetches set aside (stuck, or the store could not take a chunk), to be tried again later. */
    public final LongAdder blobsSetAside = new LongAdder();
    /** The most chunk requests one group had outstanding at once (bounded by Protocol.MAX_CHUNK_REQUESTS_PER_GROUP). */
    public final java.util.concurrent.atomic.LongAccumulator chunkRequestsPeak =
            new java.util.concurrent.atomic.LongAccumulator(Long::max, 0);
    /** The most chunk answers one peer had being read or sent at once (bounded by ServeBudget.MAX_IN_FLIGHT_PER_PEER). */
    public final java.util.concurrent.atomic.LongAccumulator chunkServesInFlightPeak =
            new java.util.concurrent.atomic.LongAccumulator(Long::max, 0);
    /** Entry batches dropped because they start past what this node knows of their author (one sent before them is missing). */
    public final LongAdder entryBatchesOutOfOrder = new LongAdder();
    /** Entry signatures checked (a refused author or sender costs none). */
    public final LongAdder entriesVerified = new LongAdder();
    /** The most bytes (estimated) one link's messages held at once waiting for the engine (bounded by InboundBudget.MAX_BYTES). */
    public final java.util.concurrent.atomic.LongAccumulator inboundBytesPeak =
            new java.util.concurrent.atomic.LongAccumulator(Long::max, 0);
    /** The most messages of one link waiting at once (bounded by InboundBudget.MAX_MESSAGES). */
    public final java.util.concurrent.atomic.LongAccumulator inboundMessagesPeak =
            new java.util.concurrent.atomic.LongAccumulator(Long::max, 0);
    /** The most entry batches of one link waiting for verification at once (InboundBudget.MAX_BATCHES_VERIFYING). */
    public final java.util.concurrent.atomic.LongAccumulator batchesVerifyingPeak =
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
