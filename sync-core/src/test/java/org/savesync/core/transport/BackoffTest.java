package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesFrom250msUpTo30sAndEveryDelayIsWithinIt() {
        Backoff b = new Backoff(new Random(42));
        long[] ceilings = {250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (long ceiling : ceilings) {
            assertThat(b.ceiling()).isEqualTo(Duration.ofMillis(ceiling));
            Duration d = b.next();
            assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(ceiling));
        }
        assertThat(b.attempts()).isEqualTo(ceilings.length);
    }

    @Test
    void fullJitterSpreadsOverTheWholeRange() {
        Backoff b = new Backoff(new Random(7));
        for (int i = 0; i < 20; i++) {
            b.next();
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = b.next().toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(1000);
        assertThat(max).isGreaterThan(29000).isLessThanOrEqualTo(30000);
    }

    @Test
    void sameSeedSameDelaysAndResetStartsOver() {
        List<Duration> first = delays(new Backoff(new Random(1234)), 12);
        assertThat(delays(new Backoff(new Random(1234)), 12)).isEqualTo(first);

        Backoff b = new Backoff(new Random(99));
        delays(b, 6);
        assertThat(b.ceiling()).isEqualTo(Duration.ofMillis(16000));
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.ceiling()).isEqualTo(Duration.ofMillis(250));
        assertThat(b.next()).isLessThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void manyAttemptsDoNotOverflow() {
        Backoff b = new Backoff(new Random(5));
        for (int i = 0; i < 10_000; i++) {
            assertThat(b.next()).isBetween(Duration.ZERO, Duration.ofSeconds(30));
        }
    }

    private static List<Duration> delays(Backoff b, int n) {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.next());
        }
        return out;
    }
}
