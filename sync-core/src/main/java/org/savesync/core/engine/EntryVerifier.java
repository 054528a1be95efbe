package org.savesync.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.stats.EngineStats;

/**
 * Checks the signatures of received entry batches on the I/O threads, before the engine
 * thread sees them. An Ed25519 verification costs tens of microseconds and a batch holds up
 * to {@link org.savesync.core.protocol.Protocol#MAX_ENTRIES_PER_BATCH} entries, so doing it
 * on the engine thread made it the bottleneck of syncing many small files; here each batch is
 * split over the I/O threads. Batches from one link are handed on in the order they arrived
 * (the replica drops a batch that does not follow what it holds), other messages are not
 * held up. The engine thread then takes each entry's outcome from {@link #take} instead of
 * parsing it again; a batch that was not pre-verified is parsed there as before.
 */
final class EntryVerifier {
    /** Below this many entries a batch is verified in one task. */
    private static final int MIN_SLICE = 32;

    private final Executor io;
    private final int slices;
    private final Map<Object, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
    private final Map<Message.EntryBatch, List<Object>> outcomes = Collections.synchronizedMap(new IdentityHashMap<>());

    private final EngineStats stats;

    EntryVerifier(Executor io, int threads, EngineStats stats) {
        this.io = io;
        this.slices = Math.max(1, threads);
        this.stats = stats;
    }

    /**
     * Verifies {@code batch} in the background and then runs {@code deliver} (which is
     * expected to hand the batch to the engine thread), after every earlier batch of the
     * same {@code link} was delivered.
     */
    void submit(Object link, Message.EntryBatch batch, Runnable deliver) {
        chains.compute(link, (l, tail) -> {
            CompletableFuture<Void> prev = tail == null ? CompletableFuture.completedFuture(null) : tail;
            return prev.thenCompose(v -> verify(batch)).handle((v, err) -> {
                deliver.run();
                return null;
            });
        });
    }

    /** Forgets a link's chain (it went down); batches still in it are delivered as usual. */
    void linkGone(Object link) {
        chains.remove(link);
    }

    /**
     * The outcome per record of a pre-verified batch (a {@link SignedEntry}, or the exception
     * {@link SignedEntry#parse} threw), or null if the batch was not pre-verified. Taking it
     * removes it.
     */
    List<Object> take(Message.EntryBatch batch) {
        return outcomes.remove(batch);
    }

    private CompletableFuture<Void> verify(Message.EntryBatch batch) {
        List<SignedRecord> records = batch.entries();
        int n = records.size();
        Object[] out = new Object[n];
        int per = Math.max(MIN_SLICE, (n + slices - 1) / slices);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int from = 0; from < n; from += per) {
            int start = from;
            int end = Math.min(n, from + per);
            parts.add(CompletableFuture.runAsync(() -> {
                for (int i = start; i < end; i++) {
                    SignedRecord r = records.get(i);
                    stats.entriesVerified.increment();
                    try {
                        out[i] = SignedEntry.parse(r.signedBytes(), r.signature());
                    } catch (RuntimeException e) {
                        out[i] = e;
                    }
                }
            }, io));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenRun(() -> outcomes.put(batch, java.util.Arrays.asList(out)));
    }
}
