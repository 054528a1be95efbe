package org.savesync.core.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/** A {@link Clock} over the engine's configurable wall clock (tests move it). */
final class WallClock extends Clock {
    private final LongSupplier millis;

    private WallClock(LongSupplier millis) {
        this.millis = millis;
    }

    static Clock of(LongSupplier millis) {
        return new WallClock(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.getAsLong());
    }

    @Override
    public long millis() {
        return millis.getAsLong();
    }
}
