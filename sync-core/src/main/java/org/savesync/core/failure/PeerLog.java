package org.savesync.core.failure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Warnings that a peer's messages cause (a refused entry, a bad chunk, a peer's error notice).
 * The peer decides how often those happen and part of what they say, so neither may be left to
 * it: a peer sending a bad chunk a thousand times a second must not fill the disk with log lines,
 * and text it chose must not forge a line of its own.
 * <ul>
 *   <li>Each kind of line (its format string, a constant in the code, so the kinds are bounded)
 *       passes at most {@link #BURST} times per {@link #WINDOW}. The rest are counted (the
 *       refusal counters in the stats have them all), and the next line of that kind to pass
 *       says how many were held back.</li>
 *   <li>The whole line is made printable: control characters (a newline, an escape sequence)
 *       are written as {@code \\uXXXX}, and it is cut at {@link #MAX_LINE} characters.</li>
 * </ul>
 */
public final class PeerLog {
    /** Lines of one kind that pass per {@link #WINDOW}. */
    public static final int BURST = 20;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** The longest line written, in characters; longer ones end with "…". */
    public static final int MAX_LINE = 1_000;
    /** Kinds tracked at once: far more than the code has; past it the oldest windows are forgotten. */
    static final int MAX_KINDS = 256;

    private static final PeerLog SHARED = new PeerLog(System::nanoTime);

    private final LongSupplier nanos;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        long start;
        int passed;
        long held;
    }

    PeerLog(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Logs {@code String.format(format, args)} at WARN through {@code log}, within the limits above. */
    public static void warn(Logger log, String format, Object... args) {
        String line = SHARED.line(format, args);
        if (line != null) {
            log.warn(line);
        }
    }

    /** The line to write for this kind now, or null when it is held back. */
    String line(String format, Object... args) {
        long held = admit(format);
        if (held < 0) {
            return null;
        }
        String line = printable(String.format(Locale.ROOT, format, args));
        return held == 0 ? line : line + " (" + held + " more like this were not logged in the last "
                + WINDOW.toMinutes() + " min)";
    }

    /** -1 when this kind is over its budget; else how many of it were held back before this one. */
    private synchronized long admit(String kind) {
        long now = nanos.getAsLong();
        Window w = windows.get(kind);
        if (w == null) {
            if (windows.size() >= MAX_KINDS) {
                windows.clear();
            }
            w = new Window();
            w.start = now;
            windows.put(kind, w);
        } else if (now - w.start >= WINDOW.toNanos()) {
            w.start = now;
            w.passed = 0;
        }
        if (w.passed >= BURST) {
            w.held++;
            return -1;
        }
        w.passed++;
        long held = w.held;
        w.held = 0;
        return held;
    }

    /** {@code s} with control characters and lone surrogates as {@code \\uXXXX}, cut at {@link #MAX_LINE}. */
    public static String printable(String s) {
        return printable(s, MAX_LINE);
    }

    /**
     * {@code s} with control characters (C0, DEL, C1), line and paragraph separators and lone
     * surrogates as {@code \\uXXXX}; only its first {@code max} characters, then "…". For text a
     * peer or a file system chose, before it goes into a log line or a message.
     */
    public static String printable(String s, int max) {
        if (s == null) {
            return "null";
        }
        int limit = Math.min(s.length(), max);
        StringBuilder sb = new StringBuilder(limit + 8);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (Character.isISOControl(c) || lone || c == '\u2028' || c == '\u2029') {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return limit < s.length() ? sb.append('…').toString() : sb.toString();
    }
}
