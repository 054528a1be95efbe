package org.savesync.core.replication;

import java.time.Duration;
import java.time.Instant;

/**
 * Hybrid logical clock values: a {@code long} whose top 48 bits are milliseconds since the
 * Unix epoch and whose low 16 bits are a logical counter, so that ordering the numbers
 * orders the events. Values are kept below 2^63 (the millisecond part below 2^47, i.e.
 * before the year 6429) so signed and unsigned comparisons agree. {@link HlcClock} makes them.
 *
 * <p>An entry whose HLC is more than {@link #MAX_FUTURE_SKEW} ahead of the receiver's wall
 * clock is refused: a node with a fast clock must not win every decision forever.
 */
public final class Hlc {
    public static final int COUNTER_BITS = 16;
    public static final int MAX_COUNTER = (1 << COUNTER_BITS) - 1;
    /** Largest millisecond part a valid HLC may carry (keeps the value positive). */
    public static final long MAX_MILLIS = (1L << 47) - 1;
    /** How far ahead of the receiver's clock an HLC may be. Protocol constant. */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    private Hlc() {
    }

    /** The HLC for {@code millis} (0..{@link #MAX_MILLIS}) and {@code counter} (0..65535). */
    public static long of(long millis, int counter) {
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException("HLC milliseconds must be 0.." + MAX_MILLIS + ", got " + millis);
        }
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new IllegalArgumentException("HLC counter must be 0.." + MAX_COUNTER + ", got " + counter);
        }
        return (millis << COUNTER_BITS) | counter;
    }

    /** The wall-clock part: milliseconds since the Unix epoch. */
    public static long millis(long hlc) {
        return hlc >>> COUNTER_BITS;
    }

    /** The logical counter part. */
    public static int counter(long hlc) {
        return (int) (hlc & MAX_COUNTER);
    }

    /** True when {@code hlc} is more than {@link #MAX_FUTURE_SKEW} ahead of {@code nowMillis}: refuse it. */
    public static boolean tooFarAhead(long hlc, long nowMillis) {
        return millis(hlc) - nowMillis > MAX_FUTURE_SKEW.toMillis();
    }

    /** For logs: {@code 2024-05-01T12:00:00Z+3}. */
    public static String format(long hlc) {
        return Instant.ofEpochMilli(millis(hlc)) + "+" + counter(hlc);
    }
}
