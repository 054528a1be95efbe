package org.savesync.core.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 0) waits a uniformly random time in
 * {@code [0, min(cap, initial × multiplier^n)]}, so peers that lost the same hub do not all redial
 * at once. Not thread-safe.
 */
public final class Backoff {
    public static final Duration INITIAL = Duration.ofMillis(250);
    public static final double MULTIPLIER = 2.0;
    public static final Duration CAP = Duration.ofSeconds(30);

    private final long initialMillis;
    private final double multiplier;
    private final long capMillis;
    private final Random random;
    private int attempts;

    /** 250 ms, ×2, capped at 30 s. */
    public Backoff(Random random) {
        this(INITIAL, MULTIPLIER, CAP, random);
    }

    public Backoff(Duration initial, double multiplier, Duration cap, Random random) {
        this.initialMillis = initial.toMillis();
        this.multiplier = multiplier;
        this.capMillis = cap.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (initialMillis <= 0 || multiplier < 1.0 || capMillis < initialMillis) {
            throw new IllegalArgumentException("need initial > 0, multiplier >= 1 and cap >= initial; got "
                    + initial + ", " + multiplier + ", " + cap);
        }
    }

    /** The upper bound of the next delay. */
    public Duration ceiling() {
        double ceiling = initialMillis * Math.pow(multiplier, attempts);
        return Duration.ofMillis(ceiling >= capMillis ? capMillis : (long) ceiling);
    }

    /** The delay before the next attempt; counts an attempt. */
    public Duration next() {
        long ceiling = ceiling().toMillis();
        if (attempts < Integer.MAX_VALUE) {
            attempts++;
        }
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** Attempts counted since the start or the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    /** After a success: the next delay is short again. */
    public void reset() {
        attempts = 0;
    }
}
