package org.savesync.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final long MS = 1_000_000L;
    private static final long T0 = Long.MAX_VALUE - 500 * MS; // nanoTime may wrap; the debouncer must not care

    private final Debouncer debouncer = new Debouncer(Duration.ofMillis(200), Duration.ofSeconds(2));

    @Test
    void aBurstIsDueOnceTheFolderHasBeenQuiet() {
        for (int i = 0; i < 50; i++) {
            debouncer.record(WatchSignal.CHANGED, T0 + i * MS);
        }
        long last = T0 + 49 * MS;

        assertThat(debouncer.takeIfDue(last + 199 * MS)).isEmpty();
        assertThat(debouncer.nanosUntilDue(last + 150 * MS)).isEqualTo(50 * MS);
        assertThat(debouncer.takeIfDue(last + 200 * MS)).contains(WatchSignal.CHANGED);
        assertThat(debouncer.hasPending()).isFalse();
        assertThat(debouncer.takeIfDue(last + 10_000 * MS)).isEmpty();
    }

    @Test
    void aContinuousStreamIsDueAfterTheMaxDelay() {
        for (int i = 0; i < 20; i++) { // every 100 ms for 1.9 s: never quiet for 200 ms
            long t = T0 + i * 100 * MS;
            debouncer.record(WatchSignal.CHANGED, t);
            assertThat(debouncer.takeIfDue(t)).isEmpty();
        }
        assertThat(debouncer.takeIfDue(T0 + 2_000 * MS)).contains(WatchSignal.CHANGED);

        debouncer.record(WatchSignal.CHANGED, T0 + 2_050 * MS);
        assertThat(debouncer.takeIfDue(T0 + 2_100 * MS)).isEmpty();
    }

    @Test
    void theStrongestPendingSignalIsDelivered() {
        debouncer.record(WatchSignal.CHANGED, T0);
        debouncer.record(WatchSignal.RESCAN, T0 + MS);
        debouncer.record(WatchSignal.CHANGED, T0 + 2 * MS);

        assertThat(debouncer.takeIfDue(T0 + 500 * MS)).contains(WatchSignal.RESCAN);
    }

    @Test
    void rejectsIntervalsThatAreNotPositive() {
        assertThatThrownBy(() -> new Debouncer(Duration.ZERO, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Debouncer(Duration.ofMillis(200), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
