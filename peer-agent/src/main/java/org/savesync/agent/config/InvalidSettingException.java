package org.savesync.agent.config;

/**
 * A configuration value the agent cannot use; it does not start. The message names the key and
 * says what is expected.
 */
public final class InvalidSettingException extends RuntimeException {
    private final String key;
    private final String problem;

    public InvalidSettingException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** What is wrong with the value and what is expected, without the key. */
    public String problem() {
        return problem;
    }

    /** The configuration key, e.g. {@code savesync.hub}. */
    public String key() {
        return key;
    }
}
