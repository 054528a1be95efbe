package org.savesync.core.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/**
 * Seeded randomised tests: a property runs as {@code tries} dynamic JUnit 5 tests, each with a
 * seed of its own from which all its inputs are drawn ({@link Gen}). Use it from a
 * {@code @TestFactory}:
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> roundTrips() {
 *     return Seeded.tries(200, g -> assertThat(parse(print(x(g)))).isEqualTo(...));
 * }
 * }</pre>
 * <ul>
 *   <li>The seeds of a run come from a run seed: random, or {@code -Dsavesync.runSeed=<long>}
 *       to repeat a whole run.</li>
 *   <li>Each try's display name is its seed; a failing try throws an {@link AssertionError}
 *       whose message starts with the seed and the flag that replays it.</li>
 *   <li>{@code -Dsavesync.seed=<long>} runs exactly one try, with that seed (combine it with
 *       {@code -Dtest=Class#method}).</li>
 * </ul>
 */
public final class Seeded {
    /** Replays exactly one try with this seed. */
    public static final String SEED_PROPERTY = "savesync.seed";
    /** Repeats a whole run: the seeds of every property are drawn from this one. */
    public static final String RUN_SEED_PROPERTY = "savesync.runSeed";

    private static final long RUN_SEED = Long.getLong(RUN_SEED_PROPERTY, new SplittableRandom().nextLong());

    private Seeded() {
    }

    /** One try of a property: draws its inputs from {@code g}. */
    @FunctionalInterface
    public interface Body {
        void run(Gen g) throws Throwable;
    }

    /** {@code tries} tries with seeds from the run seed, or the one {@code -Dsavesync.seed} names. */
    public static Stream<DynamicTest> tries(int tries, Body body) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be >= 1: " + tries);
        }
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            return seeds(List.of(Long.parseLong(replay.strip())), body);
        }
        SplittableRandom run = new SplittableRandom(RUN_SEED);
        return seeds(LongStream.generate(run::nextLong).limit(tries).boxed().toList(), body);
    }

    /** Exactly these seeds (regression cases found by earlier runs). */
    public static Stream<DynamicTest> seeds(List<Long> seeds, Body body) {
        return seeds.stream().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runOne(seed, body)));
    }

    /** Runs one try; a failure names its seed. */
    public static void runOne(long seed, Body body) throws Throwable {
        try {
            body.run(new Gen(seed));
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable t) {
            AssertionError e = new AssertionError("seed " + seed + " failed (replay: -D" + SEED_PROPERTY + "=" + seed
                    + ", run seed " + RUN_SEED + "): " + t, t);
            throw e;
        }
    }

    /**
     * The inputs of one try, all drawn from its seed. Numbers in a range come out at the edges of
     * the range (its ends, zero, one either side) about one time in eight, as property testing
     * libraries do, since that is where bugs live.
     */
    public static final class Gen {
        private final long seed;
        private final SplittableRandom rnd;

        Gen(long seed) {
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
        }

        public long seed() {
            return seed;
        }

        /** Any long, edge values included. */
        public long anyLong() {
            return longBetween(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        /** A long in [min, max], edge values included. */
        public long longBetween(long min, long max) {
            if (min > max) {
                throw new IllegalArgumentException(min + " > " + max);
            }
            if (rnd.nextInt(8) == 0) {
                long[] edges = {min, max, 0, 1, -1, min + 1, max - 1};
                long e = edges[rnd.nextInt(edges.length)];
                if (e >= min && e <= max) {
                    return e;
                }
            }
            long span = max - min + 1;
            if (span > 0) {
                return min + rnd.nextLong(span);
            }
            long v;
            do {
                v = rnd.nextLong(); // the range holds more than half of all longs
            } while (v < min || v > max);
            return v;
        }

        /** An int in [min, max], edge values included. */
        public int intBetween(int min, int max) {
            return (int) longBetween(min, max);
        }

        public boolean bool() {
            return rnd.nextBoolean();
        }

        /** {@code n} random bytes. */
        public byte[] bytes(int n) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            return b;
        }

        /** One of the values, uniformly. */
        @SafeVarargs
        public final <T> T pick(T... values) {
            return values[rnd.nextInt(values.length)];
        }

        public <T> T pick(List<T> values) {
            return values.get(rnd.nextInt(values.size()));
        }

        /** One constant of an enum. */
        public <E extends Enum<E>> E pick(Class<E> type) {
            return pick(type.getEnumConstants());
        }

        /** A list of {@code min..max} elements, each from {@code element}. */
        public <T> List<T> list(int min, int max, java.util.function.Function<Gen, T> element) {
            int n = intBetween(min, max);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.apply(this));
            }
            return out;
        }

        /** {@code min..max} distinct elements of {@code pool}, in random order. */
        public <T> List<T> distinct(List<T> pool, int min, int max) {
            List<T> shuffled = new ArrayList<>(pool);
            for (int i = shuffled.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                T t = shuffled.get(i);
                shuffled.set(i, shuffled.get(j));
                shuffled.set(j, t);
            }
            return new ArrayList<>(shuffled.subList(0, intBetween(min, Math.min(max, pool.size()))));
        }

        /** A string of {@code min..max} code points taken from {@code alphabet} (code points, not chars). */
        public String string(String alphabet, int min, int max) {
            int[] cps = alphabet.codePoints().toArray();
            StringBuilder sb = new StringBuilder();
            int n = intBetween(min, max);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(cps[rnd.nextInt(cps.length)]);
            }
            return sb.toString();
        }

        /** A string of {@code min..max} chars, any UTF-16 char (so lone surrogates too). */
        public String anyString(int min, int max) {
            int n = intBetween(min, max);
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = rnd.nextInt(4) == 0 ? (char) rnd.nextInt(0x20, 0x7f) : (char) rnd.nextInt(Character.MAX_VALUE + 1);
            }
            return new String(c);
        }

        /** An index chosen with the given weights. */
        public int weighted(int... weights) {
            int total = Arrays.stream(weights).sum();
            int r = rnd.nextInt(total);
            for (int i = 0; i < weights.length; i++) {
                r -= weights[i];
                if (r < 0) {
                    return i;
                }
            }
            throw new AssertionError("unreachable");
        }

        /** A fresh {@link java.util.Random} seeded from this try (for library calls that want one). */
        public java.util.Random random() {
            return new java.util.Random(rnd.nextLong());
        }
    }
}
