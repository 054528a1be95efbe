package org.savesync.core.transfer;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.stats.EngineStats.Refusal;

/**
 * Receives the answers to one blob's chunk requests and hands the verified bytes to a
 * {@link Sink}: the temp file of a {@link Transfer}, or the hub's chunk store. Owns the blob's
 * {@link ChunkRequests} and the count of verified bytes.
 * <pre>
 *   1. ChunkData: read only as the answer to an outstanding request, from the link it was asked
 *      of ({@link ChunkRequests#answered}); any other is dropped
 *   2. not found: that peer lacks the chunk; it is asked of another one
 *   3. engine thread: length and hash field must be the chunk list's
 *   4. I/O thread: the bytes are hashed, then handed to the sink; what it keeps is counted as
 *      fetched once the sink says it is kept ({@code chunkBytesFetched}; the hub's store says so
 *      when the chunk's batch is committed), so the count is what the sink holds even if the
 *      engine stops before the next step
 *   5. engine thread: the chunk is verified, its bytes added to {@link #verifiedBytes}, and the
 *      owner pumps again
 * </pre>
 * An answer that fails a check, or whose bytes the sink did not keep, is refused
 * ({@link Refusal#BAD_CHUNK}, a warning naming the peer) and the chunk is asked of another peer.
 * Nothing happens with an answer once the owner is cancelled. Engine thread, except the sink.
 */
public final class ChunkReceiver {
    private static final Logger LOG = Logger.getLogger(ChunkReceiver.class);

    /**
     * What the receiver needs from the transfer or blob fetch it works for.
     *
     * @param io           threads for hashing and the sink
     * @param engineThread where every state change happens
     * @param cancelled    the owner was cancelled: answers are dropped
     * @param pump         asks for more chunks (or finishes) after an answer was settled
     */
    public record Owner(Executor io, Executor engineThread, EngineStats stats, BooleanSupplier cancelled,
                        Runnable pump) {
    }

    /** What a sink did with a chunk's verified bytes. */
    public enum Kept {
        /** Kept: counted as fetched, then verified on the engine thread. */
        YES,
        /** Not kept: refused like a bad answer and asked of another peer (unless the owner was cancelled). */
        NO,
        /** A local failure the sink has reported to its owner itself: nothing more happens with the answer. */
        FAILED
    }

    /** Where verified bytes go. */
    @FunctionalInterface
    public interface Sink {
        /** I/O thread: keeps chunk {@code index} of the list, whose bytes hash to {@code chunk}. */
        Kept keep(int index, ChunkRef chunk, byte[] data);

        /**
         * I/O thread: like {@link #keep}, but the answer may come later (the hub's chunk store
         * commits catalog rows in batches), so the I/O thread is free meanwhile. The stage must
         * not fail: a local failure is {@link Kept#FAILED}, reported by the sink itself. The
         * request keeps its slot until the stage completes, which bounds what waits. Default:
         * {@link #keep}, answered at once.
         */
        default CompletionStage<Kept> keepLater(int index, ChunkRef chunk, byte[] data) {
            return CompletableFuture.completedFuture(keep(index, chunk, data));
        }
    }

    private final List<ChunkRef> chunks;
    private final ChunkRequests requests;
    private final Owner owner;
    private final Sink sink;
    private final String what;
    private long verifiedBytes;

    /**
     * @param chunks the blob's chunk list
     * @param slots  the owner's request ids and budget, for the {@link ChunkRequests}
     * @param what   names the file or blob in log lines
     */
    public ChunkReceiver(List<ChunkRef> chunks, ChunkRequests.Slots slots, Owner owner, Sink sink, String what) {
        this.chunks = chunks;
        this.requests = new ChunkRequests(chunks, slots);
        this.owner = owner;
        this.sink = sink;
        this.what = what;
    }

    /** The requests: the owner sends, expires and cancels them. */
    public ChunkRequests requests() {
        return requests;
    }

    /** Bytes of the chunks verified so far, found in place or received. */
    public long verifiedBytes() {
        return verifiedBytes;
    }

    /** Chunks the owner found verified without asking (on disk, in the store): never asked; returns their bytes. */
    public long alreadyHave(BitSet have) {
        long bytes = requests.alreadyHave(have);
        verifiedBytes += bytes;
        return bytes;
    }

    public void onChunkData(Link from, Message.ChunkData m) {
        int i = requests.answered(m.requestId(), from);
        if (i < 0 || owner.cancelled().getAsBoolean()) {
            return; // late or duplicate answer
        }
        ChunkRef want = chunks.get(i);
        if (!m.found()) {
            requests.lacks(i, from.remote());
            owner.pump().run();
            return;
        }
        byte[] data = m.data();
        if (data.length != want.length() || !m.hash().equals(want.hash())) {
            reject(from, i);
            return;
        }
        int length = data.length;
        owner.io().execute(() -> {
            CompletionStage<Kept> kept = want.hash().matches(data, 0, length) ? sink.keepLater(i, want, data)
                    : CompletableFuture.completedFuture(Kept.NO);
            // Only the length is captured from here on: the bytes are not held while a batch commits.
            kept.whenComplete((k, e) -> {
                if (e != null) { // a sink broke its contract: do not leak the request's slot
                    LOG.errorf("the sink for %s failed on a chunk: %s", what, org.savesync.core.failure.Failure.describe(e));
                }
                kept(from, i, e == null ? k : Kept.NO, length);
            });
        });
    }

    /** Any thread: what the sink did with chunk {@code i}; settled on the engine thread. */
    private void kept(Link from, int i, Kept kept, int length) {
        if (kept == Kept.FAILED) {
            return;
        }
        if (kept == Kept.YES) {
            owner.stats().chunkBytesFetched.add(length);
        }
        owner.engineThread().execute(() -> settle(from, i, kept == Kept.YES, length));
    }

    /** Engine thread: the answer was kept, or it is refused. */
    private void settle(Link from, int i, boolean kept, int length) {
        if (owner.cancelled().getAsBoolean()) {
            return;
        }
        if (!kept) {
            reject(from, i);
            return;
        }
        if (requests.verified(i)) {
            verifiedBytes += length;
        }
        owner.pump().run();
    }

    private void reject(Link from, int i) {
        owner.stats().refused(Refusal.BAD_CHUNK);
        PeerLog.warn(LOG, "%s sent a chunk for %s that fails verification; asking another peer", from.remote(), what);
        requests.lacks(i, from.remote());
        owner.pump().run();
    }
}
