package org.savesync.core.fuzz;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * One parser of outside bytes and its contract. {@link #check} feeds it one input and throws a
 * {@link ParserContractViolation} when the parser
 * <ul>
 *   <li>throws anything but one of its {@code refusals} (or refuses without saying why),</li>
 *   <li>allocates more than {@code allocationBound} allows for an input of that length
 *       (measured on the calling thread with {@code ThreadMXBean#getCurrentThreadAllocatedBytes}), or</li>
 *   <li>accepts the input but the result does not survive the real encoder (the {@code parse}
 *       body asserts that, e.g. {@code decode(encode(x))} equals {@code x}).</li>
 * </ul>
 * Hangs are caught by whoever calls {@code check}: Jazzer's per-input timeout while fuzzing, a
 * preemptive timeout when {@link ParserSeedsTest} replays inputs.
 *
 * @param id              stable selector byte: the first byte of a fuzz input picks the target by
 *                        it, so kept regression inputs keep meaning the same target; never reuse one
 * @param name            what the reports call it, e.g. {@code WireCodec.decode}
 * @param refusals        the typed exceptions the parser is documented to refuse input with
 * @param allocationBound most bytes the parser may allocate for an input of the given length
 * @param body            parses one input and asserts the round trip when it is accepted
 * @param seeds           valid inputs made by the real encoders (without the selector byte)
 */
public record ParserTarget(int id, String name, List<Class<? extends Throwable>> refusals, AllocationBound allocationBound,
                           Body body, Supplier<List<byte[]>> seeds) {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * While Jazzer fuzzes, its hooks on JDK methods (string and array comparisons) allocate on
     * every call they see: up to 7 times what the parse itself allocates (IgnoreRules' seed, 36 KiB
     * plain, 231 KiB instrumented). Bounds are multiplied by this then; they still catch a parser
     * that allocates by an announced length (MiBs for a few bytes), and {@link ParserSeedsTest}
     * holds the seeds and kept inputs to the plain bounds.
     */
    static final int INSTRUMENTED_FACTOR = 8;
    private static final int FACTOR = System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()
            ? 1 : INSTRUMENTED_FACTOR;

    /** The parser call; throws what the parser throws, or an {@link AssertionError} on a round-trip mismatch. */
    @FunctionalInterface
    public interface Body {
        void parse(byte[] input) throws Exception;
    }

    /** How much a parser may allocate. */
    @FunctionalInterface
    public interface AllocationBound {
        long maxBytes(int inputLength);

        /** {@code perInputByte * length + fixed}: the usual shape for a parser that copies what it reads. */
        static AllocationBound linear(long perInputByte, long fixed) {
            return n -> perInputByte * n + fixed;
        }
    }

    public ParserTarget {
        if (id < 0 || id > 0xff) {
            throw new IllegalArgumentException("a target id is one byte, got " + id);
        }
        refusals = List.copyOf(refusals);
    }

    /** How one input went: accepted or refused (within the contract), and what the call allocated. */
    public record Outcome(boolean accepted, long allocatedBytes) {
    }

    /**
     * Runs the parser on {@code input} and checks the contract. An input that allocates past the
     * bound is run a second time before it counts: the first call on a new path may load (and,
     * under Jazzer, instrument) classes, which costs megabytes once; a parser that allocates too
     * much does it every time.
     */
    public Outcome check(byte[] input) {
        Outcome first = measure(input);
        long bound = allocationBound.maxBytes(input.length) * FACTOR;
        if (first.allocatedBytes() <= bound) {
            return first;
        }
        Outcome again = measure(input);
        if (again.allocatedBytes() > bound) {
            throw new ParserContractViolation(this, input, "allocated " + again.allocatedBytes() + " bytes for an input of "
                    + input.length + " bytes, bound " + bound, null);
        }
        return again;
    }

    private Outcome measure(byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        boolean accepted = false;
        try {
            body.parse(input);
            accepted = true;
        } catch (ParserContractViolation v) {
            throw v;
        } catch (AssertionError e) {
            throw new ParserContractViolation(this, input, "accepted but did not round-trip: " + e.getMessage(), e);
        } catch (Throwable t) {
            if (!isRefusal(t)) {
                throw new ParserContractViolation(this, input, "threw " + t.getClass().getName() + " (may only refuse with "
                        + refusalNames() + "): " + t.getMessage(), t);
            }
            if (t.getMessage() == null || t.getMessage().isBlank()) {
                throw new ParserContractViolation(this, input, "refused without saying why (" + t.getClass().getName() + ")", t);
            }
        }
        return new Outcome(accepted, THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    /** Runs every seed once, unchecked, so one-time class initialisation is not counted against a parse. */
    void warmUp() {
        for (byte[] seed : seeds.get()) {
            try {
                body.parse(seed);
            } catch (Throwable ignored) {
                // ParserSeedsTest checks the seeds; this only loads and initialises classes
            }
        }
    }

    private boolean isRefusal(Throwable t) {
        return refusals.stream().anyMatch(c -> c.isInstance(t));
    }

    private String refusalNames() {
        return refusals.isEmpty() ? "nothing: it never refuses"
                : String.join(" or ", refusals.stream().map(Class::getSimpleName).toList());
    }

    @Override
    public String toString() {
        return name;
    }
}
