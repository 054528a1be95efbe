package org.savesync.agent.cli;

import io.quarkus.runtime.QuarkusBindException;
import java.util.Optional;

/**
 * Turns what stopped the agent from starting into the one line the user reads on standard
 * error (the stack trace stays out of sight: it says nothing a user can act on).
 */
final class StartupFault {
    private static final java.util.regex.Pattern SRCFG = java.util.regex.Pattern.compile("SRCFG\\d+: *(.*)");
    private static final java.util.regex.Pattern CONVERSION = java.util.regex.Pattern.compile(
            "The config property (\\S+) with the config value \"(.*)\" threw an Exception whilst being converted (.*)");

    private StartupFault() {
    }

    /** {@code savesync.rescan-interval} as an environment variable: {@code SAVESYNC_RESCAN_INTERVAL}. */
    static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The line for a failure Quarkus reported while starting the agent (no {@code savesync:} prefix). */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QuarkusBindException b) {
                return "the local API port " + b.getPort() + " (TCP, 127.0.0.1) is in use; choose another with"
                        + " --api-port PORT, or leave it out to take a free one";
            }
        }
        Optional<String> config = configProblem(failure);
        if (config.isPresent()) {
            return config.get();
        }
        // Quarkus wraps what a bean threw ("Failed to start quarkus", CDI wrappers): report the
        // innermost message written for the user, which our own exceptions carry.
        String best = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !t.getClass().getName().startsWith("io.quarkus")
                    && !m.startsWith("Failed to start")) {
                best = firstLine(m);
                if (t instanceof IllegalStateException || t instanceof java.io.UncheckedIOException
                        || t instanceof IllegalArgumentException) {
                    return best;
                }
            }
        }
        return best != null ? best : "the agent did not start: " + firstLine(String.valueOf(failure));
    }

    /**
     * A configuration value that does not convert ({@code SAVESYNC_RESCAN_INTERVAL=soon}):
     * SmallRye lists the problems one per line under a header; the first problem is the line.
     */
    static Optional<String> configProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || !m.contains("SRCFG")) {
                continue;
            }
            for (String line : m.lines().toList()) {
                java.util.regex.Matcher srcfg = SRCFG.matcher(line);
                if (!srcfg.find()) {
                    continue;
                }
                String problem = srcfg.group(1).strip();
                java.util.regex.Matcher conv = CONVERSION.matcher(problem);
                if (conv.matches()) {
                    String key = conv.group(1);
                    String why = conv.group(3).replaceFirst("^[\\w.$]+(Exception|Error): *", "");
                    problem = key + " (" + envName(key) + ") = \"" + conv.group(2) + "\" is not valid: " + why;
                }
                return Optional.of("bad setting: " + problem + "; the README's agent configuration table lists the"
                        + " keys and their formats");
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }
}
