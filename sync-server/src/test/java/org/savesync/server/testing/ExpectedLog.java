package org.savesync.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines that a test provokes on purpose: while {@link #during} runs, what the named
 * categories log is captured instead of printed, so a passing run shows no alarming line, and
 * the test asserts on what was logged ({@link #text}). Every other category prints as usual.
 */
public final class ExpectedLog {
    private final List<String> categories;
    private final List<LogRecord> records = new ArrayList<>();

    private ExpectedLog(List<String> categories) {
        this.categories = categories;
    }

    /** Captures what {@code categories} (and the categories below them) log. */
    public static ExpectedLog of(String... categories) {
        return new ExpectedLog(List.of(categories));
    }

    /** Runs {@code work} with the categories captured, and returns what it returned or threw. */
    public <T> T during(Callable<T> work) throws Exception {
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (records) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        List<Logger> loggers = new ArrayList<>();
        List<Boolean> parents = new ArrayList<>();
        for (String c : categories) {
            Logger l = Logger.getLogger(c);
            loggers.add(l); // held: a logger nobody references may be collected with its settings
            parents.add(l.getUseParentHandlers());
            l.addHandler(capture);
            l.setUseParentHandlers(false);
        }
        try {
            return work.call();
        } finally {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).removeHandler(capture);
                loggers.get(i).setUseParentHandlers(parents.get(i));
            }
        }
    }

    /** Every captured line at {@code level} or above: "LEVEL category: message (exception: its message)". */
    public String text(Level level) {
        StringBuilder sb = new StringBuilder();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() < level.intValue()) {
                    continue;
                }
                sb.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(message(r));
                for (Throwable t = r.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
                    sb.append(" (").append(t).append(')');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The message with its parameters filled in (JBoss LogManager's records know their own format style). */
    private static String message(LogRecord r) {
        try {
            return (String) r.getClass().getMethod("getFormattedMessage").invoke(r);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new java.util.logging.SimpleFormatter().formatMessage(r);
        }
    }
}
