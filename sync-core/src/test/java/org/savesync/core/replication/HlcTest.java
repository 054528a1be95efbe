package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.junit.jupiter.api.Test;

class HlcTest {
    private static final long T = 1_700_000_000_000L;

    @TestFactory
    Stream<DynamicTest> packsMillisAndCounter() {
        return Seeded.tries(200, g -> packsMillisAndCounter(g.longBetween(0, Hlc.MAX_MILLIS), g.intBetween(0, 65535)));
    }

    private static void packsMillisAndCounter(long millis, int counter) {
        long hlc = Hlc.of(millis, counter);
        assertThat(Hlc.millis(hlc)).isEqualTo(millis);
        assertThat(Hlc.counter(hlc)).isEqualTo(counter);
        assertThat(hlc).isNotNegative();
    }

    @Test
    void layoutIsTop48MillisLow16Counter() {
        assertThat(Hlc.of(1, 2)).isEqualTo(0x10002L);
        assertThat(Hlc.of(T, 5)).isEqualTo((T << 16) | 5);
        assertThatThrownBy(() -> Hlc.of(-1, 0)).hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> Hlc.of(0, 65536)).hasMessageContaining("counter");
    }

    @Test
    void monotonicWhenTheWallClockGoesBackwardsOrStands() {
        AtomicLong wall = new AtomicLong(T);
        HlcClock clock = new HlcClock(wall::get);
        long a = clock.now();
        assertThat(a).isEqualTo(Hlc.of(T, 0));
        long b = clock.now();
        assertThat(b).isEqualTo(Hlc.of(T, 1));
        wall.set(T - 60_000);
        long c = clock.now();
        assertThat(c).isGreaterThan(b);
        assertThat(Hlc.millis(c)).isEqualTo(T);
        wall.set(T + 10);
        long d = clock.now();
        assertThat(d).isEqualTo(Hlc.of(T + 10, 0));
    }

    @TestFactory
    Stream<DynamicTest> strictlyIncreasingUnderAnyWallClock() {
        return Seeded.tries(200, g -> strictlyIncreasingUnderAnyWallClock(g.list(0, 255, s -> s.longBetween(-5, 5))));
    }

    private static void strictlyIncreasingUnderAnyWallClock(List<Long> steps) {
        AtomicLong wall = new AtomicLong(T);
        HlcClock clock = new HlcClock(wall::get);
        long last = 0;
        for (long step : steps) {
            wall.addAndGet(step);
            long now = clock.now();
            assertThat(now).isGreaterThan(last);
            last = now;
        }
    }

    @Test
    void counterOverflowCarriesIntoMillis() {
        HlcClock clock = new HlcClock(() -> T);
        long last = 0;
        for (int i = 0; i < 65537; i++) {
            last = clock.now();
        }
        assertThat(last).isEqualTo(Hlc.of(T + 1, 0));
    }

    @Test
    void observedRemoteValuesPushTheClockForward() {
        HlcClock clock = new HlcClock(() -> T);
        long remote = Hlc.of(T + 60_000, 7);
        clock.observe(remote);
        assertThat(clock.now()).isGreaterThan(remote);
        clock.observe(Hlc.of(T - 1000, 0));
        assertThat(clock.now()).isEqualTo(remote + 2);
    }

    @Test
    void refusesToObserveAValueTooFarAhead() {
        HlcClock clock = new HlcClock(() -> T);
        long ahead = Hlc.of(T + Hlc.MAX_FUTURE_SKEW.toMillis() + 1, 0);
        assertThatThrownBy(() -> clock.observe(ahead)).hasMessageContaining("ahead");
        assertThat(clock.now()).isEqualTo(Hlc.of(T, 0));
    }

    @Test
    void tooFarAheadIsFiveMinutes() {
        assertThat(Hlc.MAX_FUTURE_SKEW.toMinutes()).isEqualTo(5);
        assertThat(Hlc.tooFarAhead(Hlc.of(T + 300_000, 65535), T)).isFalse();
        assertThat(Hlc.tooFarAhead(Hlc.of(T + 300_001, 0), T)).isTrue();
        assertThat(Hlc.tooFarAhead(Hlc.of(T - 10_000_000, 0), T)).isFalse();
    }

    @Test
    void uniqueAcrossThreads() throws Exception {
        HlcClock clock = new HlcClock(() -> T);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<Long>> task = () -> {
                List<Long> out = new ArrayList<>();
                for (int i = 0; i < 5000; i++) {
                    out.add(clock.now());
                }
                return out;
            };
            Future<List<Long>> f1 = pool.submit(task);
            Future<List<Long>> f2 = pool.submit(task);
            List<Long> all = new ArrayList<>(f1.get());
            assertThat(all).isSorted();
            all.addAll(f2.get());
            assertThat(f2.get()).isSorted();
            assertThat(all).doesNotHaveDuplicates().hasSize(10_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
