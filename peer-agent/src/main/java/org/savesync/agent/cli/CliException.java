package org.savesync.agent.cli;

/** A command that failed; its message goes to standard error and its code becomes the exit code. */
public final class CliException extends RuntimeException {
    /** The agent answered with an error. */
    public static final int FAILED = 1;
    /** The command line is wrong (an unknown option, a missing or bad value). */
    public static final int USAGE = 2;
    /** No agent is running for the data dir. */
    public static final int NOT_RUNNING = 3;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
