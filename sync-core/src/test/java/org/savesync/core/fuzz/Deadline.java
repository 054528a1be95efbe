package org.savesync.core.fuzz;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each contract check on a worker thread and waits for it at most {@link #LIMIT}: a parser
 * that takes longer on one input hangs, which is a finding like any other (with the stack of
 * where it was). The stuck worker is abandoned (parsers do not look at interrupts) and a new one
 * takes over; it is a daemon, so it cannot keep the JVM alive. Coverage and comparison tracing
 * are global to the JVM, so Jazzer sees the worker's work as its own.
 */
final class Deadline {
    /** Generous: the machine may be busy; a parser of a few KiB that takes this long is looping. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private static final AtomicReference<Thread> CURRENT = new AtomicReference<>();
    private static ExecutorService worker = newWorker();

    private Deadline() {
    }

    static ParserTarget.Outcome check(ParserTarget target, byte[] input) {
        return check(target, input, LIMIT);
    }

    static synchronized ParserTarget.Outcome check(ParserTarget target, byte[] input, Duration limit) {
        Future<ParserTarget.Outcome> f = worker.submit(() -> target.check(input));
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Throwable where = new Throwable("where the parser was after " + limit.toMillis() + " ms");
            where.setStackTrace(CURRENT.get().getStackTrace());
            worker.shutdownNow(); // interrupts it: a parser that sleeps or waits stops, a looping one is abandoned
            worker = newWorker();
            throw new ParserContractViolation(target, input, "did not finish within " + limit.toMillis() + " ms", where);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the contract check itself failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + target.name(), e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-parser");
            t.setDaemon(true);
            CURRENT.set(t);
            return t;
        });
    }
}
