package org.savesync.agent.watch;

import java.time.Duration;
import java.util.Optional;

/**
 * Coalesces signals: one is due once the folder has been quiet for {@code quiet}, or
 * {@code maxDelay} after the first pending one even if events keep coming, so a continuous
 * stream of writes still gets scanned (a quiet interval longer than the max delay is never
 * reached). Pure logic over {@link System#nanoTime()} values;
 * confined to the watcher thread.
 */
final class Debouncer {

    private final long quietNanos;
    private final long maxDelayNanos;
    private WatchSignal pending;
    private long firstAt;
    private long lastAt;

    Debouncer(Duration quiet, Duration maxDelay) {
        if (quiet.isNegative() || quiet.isZero() || maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("debounce and max delay must be positive, got " + quiet + " and " + maxDelay);
        }
        this.quietNanos = quiet.toNanos();
        this.maxDelayNanos = maxDelay.toNanos();
    }

    /** Notes a signal seen at {@code now}; keeps the strongest of those pending. */
    void record(WatchSignal signal, long now) {
        if (pending == null) {
            pending = signal;
            firstAt = now;
        } else if (signal.compareTo(pending) > 0) {
            pending = signal;
        }
        lastAt = now;
    }

    boolean hasPending() {
        return pending != null;
    }

    /** Nanoseconds until the pending signal is due (0 if due now); only when {@link #hasPending()}. */
    long nanosUntilDue(long now) {
        long quietLeft = quietNanos - (now - lastAt);
        long maxLeft = maxDelayNanos - (now - firstAt);
        return Math.max(0, Math.min(quietLeft, maxLeft));
    }

    /** The pending signal if it is due at {@code now}, which is then no longer pending. */
    Optional<WatchSignal> takeIfDue(long now) {
        if (pending == null || nanosUntilDue(now) > 0) {
            return Optional.empty();
        }
        WatchSignal due = pending;
        pending = null;
        return Optional.of(due);
    }
}
