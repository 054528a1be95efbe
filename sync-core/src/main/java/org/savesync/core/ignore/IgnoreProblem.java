package org.savesync.core.ignore;

/**
 * A line of an ignore file that was skipped, or a problem with the file itself.
 *
 * @param line    1-based line number, or 0 when the problem is the file as a whole
 * @param pattern the line as written (empty for a file-level problem)
 * @param reason  what is wrong and how to fix it
 */
public record IgnoreProblem(int line, String pattern, String reason) {
    @Override
    public String toString() {
        return line == 0 ? reason : "line " + line + " '" + pattern + "': " + reason;
    }
}
