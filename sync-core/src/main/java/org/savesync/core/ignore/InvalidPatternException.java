package org.savesync.core.ignore;

/**
 * An ignore pattern that cannot be compiled (an unclosed {@code [}, a lone trailing
 * {@code \}, a reversed range...). {@link IgnoreRules#parse} turns these into
 * {@link IgnoreProblem}s and skips the line, so a bad line never stops a scan.
 */
public final class InvalidPatternException extends Exception {
    private final int line;
    private final String pattern;
    private final String reason;

    public InvalidPatternException(int line, String pattern, String reason) {
        super("ignore pattern on line " + line + " '" + pattern + "' is skipped: " + reason);
        this.line = line;
        this.pattern = pattern;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public String pattern() {
        return pattern;
    }

    public String reason() {
        return reason;
    }

    public IgnoreProblem toProblem() {
        return new IgnoreProblem(line, pattern, reason);
    }
}
