package org.savesync.core.transfer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import org.savesync.core.replication.SafePath;

/**
 * When each file whose transfer failed (or could not go on) is tried again: exponential backoff
 * per file, from {@link #FIRST} doubling to {@link #MAX}, and why it is waiting. A file whose
 * transfer failed for a local reason (the temp file could not be made) waits out its backoff; one
 * that waits for content no connected member has is also released as soon as the peers change.
 * A file that succeeds or is no longer wanted is forgotten. Memory: one record per waiting file,
 * and the files waiting are a subset of those the group needs. Engine thread only.
 */
public final class RetrySchedule {
    public static final Duration FIRST = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(60);

    /** Why a file waits, until when, and how many times it failed in a row. */
    public record Waiting(String reason, boolean untilPeersChange, int attempts, long dueNanos) {
    }

    private final Map<SafePath, Integer> attempts = new HashMap<>();
    private final Map<SafePath, Waiting> waiting = new LinkedHashMap<>();

    /** The delay before try number {@code attempt + 1} after {@code attempt} failures in a row (1 or more). */
    public static Duration delay(int attempt) {
        long ms = FIRST.toMillis() << Math.min(30, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(ms, MAX.toMillis()));
    }

    /** {@code path} failed (again) at {@code nowNanos}; returns its wait. */
    public Waiting failed(SafePath path, String reason, boolean untilPeersChange, long nowNanos) {
        int n = attempts.merge(path, 1, Integer::sum);
        Waiting w = new Waiting(reason, untilPeersChange, n, nowNanos + delay(n).toNanos());
        waiting.put(path, w);
        return w;
    }

    /** The paths whose wait is over at {@code nowNanos} (or, when {@code peersChanged}, that waited for peers). */
    public List<SafePath> due(long nowNanos, boolean peersChanged) {
        List<SafePath> out = new ArrayList<>();
        for (Iterator<Map.Entry<SafePath, Waiting>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Waiting w = e.getValue();
            if (nowNanos - w.dueNanos() >= 0 || (peersChanged && w.untilPeersChange())) {
                it.remove();
                out.add(e.getKey());
            }
        }
        return out;
    }

    public boolean isWaiting(SafePath path) {
        return waiting.containsKey(path);
    }

    /** The file transferred, or is not wanted any more. */
    public void forget(SafePath path) {
        attempts.remove(path);
        waiting.remove(path);
    }

    public void clear() {
        attempts.clear();
        waiting.clear();
    }

    public int waitingCount() {
        return waiting.size();
    }

    /**
     * Why transfers cannot progress, for {@code status}: the reason most files wait for, with
     * how many; empty when nothing waits.
     */
    public String problem() {
        if (waiting.isEmpty()) {
            return "";
        }
        Map<String, Integer> byReason = new HashMap<>();
        for (Waiting w : waiting.values()) {
            byReason.merge(w.reason(), 1, Integer::sum);
        }
        var top = byReason.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        int others = waiting.size() - top.getValue();
        return top.getKey() + " (" + top.getValue() + " file(s) waiting to retry"
                + (others > 0 ? ", " + others + " more for other reasons" : "") + ")";
    }
}
