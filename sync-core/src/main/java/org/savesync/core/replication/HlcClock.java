package org.savesync.core.replication;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Issues {@link Hlc} values: strictly increasing across calls, however the wall clock moves,
 * and greater than every remote HLC {@linkplain #observe observed}. When the wall clock
 * stands still or goes backwards the counter advances (and, after 65535 steps, carries into
 * the millisecond part). Thread-safe.
 */
public final class HlcClock {
    private final LongSupplier wallMillis;
    private long last;

    /** A clock reading {@code wallMillis} (ms since the Unix epoch; tests pass a fake). */
    public HlcClock(LongSupplier wallMillis) {
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    }

    /** A clock on {@link System#currentTimeMillis()}. */
    public static HlcClock system() {
        return new HlcClock(System::currentTimeMillis);
    }

    /** A new HLC, greater than any this clock returned or observed before. */
    public synchronized long now() {
        long wall = Math.max(0, Math.min(wallMillis.getAsLong(), Hlc.MAX_MILLIS));
        long next = Math.max(last + 1, Hlc.of(wall, 0));
        if (Hlc.millis(next) > Hlc.MAX_MILLIS) {
            throw new IllegalStateException("HLC exhausted: " + Hlc.format(last));
        }
        last = next;
        return next;
    }

    /**
     * Takes note of a remote HLC so the next {@link #now()} is greater. Check received entries
     * with {@link Hlc#tooFarAhead} first: a remote value too far ahead is refused here, so a peer
     * with a fast clock cannot drag this clock into the future.
     *
     * @throws IllegalArgumentException when {@code remoteHlc} is more than {@link Hlc#MAX_FUTURE_SKEW} ahead
     */
    public synchronized void observe(long remoteHlc) {
        if (remoteHlc < 0 || Hlc.tooFarAhead(remoteHlc, wallMillis.getAsLong())) {
            throw new IllegalArgumentException("remote HLC " + Hlc.format(remoteHlc) + " is more than "
                    + Hlc.MAX_FUTURE_SKEW.toMinutes() + " minutes ahead of this clock; the sender's clock is wrong, refuse its entry");
        }
        if (remoteHlc > last) {
            last = remoteHlc;
        }
    }
}
