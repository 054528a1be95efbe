package org.savesync.agent.e2e;

import java.util.List;

/**
 * What one {@code savesync} command printed and how it exited.
 *
 * @param command the arguments after {@code --data-dir DIR}, for messages
 */
record CliResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** The last non-blank line of standard output (where commands print ids and tickets). */
    String lastLine() {
        List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new AssertionError("`savesync " + String.join(" ", command) + "` printed nothing; " + this);
        }
        return lines.get(lines.size() - 1).strip();
    }

    /** Fails unless the command exited 0. */
    CliResult ok() {
        if (exitCode != 0) {
            throw new AssertionError("`savesync " + String.join(" ", command) + "` failed: " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
