package org.savesync.server.cli;

import io.quarkus.runtime.QuarkusBindException;
import io.smallrye.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what stopped Quarkus from starting into the one line the operator reads. */
final class StartupFailure {
    /** SmallRye Config's words for a value that does not convert. */
    private static final Pattern BAD_VALUE = Pattern.compile(
            "The config property (\\S+) with the config value \"(.*?)\" threw an Exception whilst being converted"
                    + "\\s*(?:[\\w.$]+(?:Exception|Error):\\s*)?(.*)", Pattern.DOTALL);
    private static final int MAX_DETAIL = 160;

    private StartupFailure() {
    }

    /**
     * One line (no stack trace, no exception class names) for what stopped the hub.
     *
     * @param managementPort the management interface's port in this run, to tell its bind failure from the admin API's
     */
    static String describe(Throwable failure, int managementPort) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QuarkusBindException b) {
                if (b.getPort() == managementPort) {
                    return "the management port " + b.getPort() + " (health, metrics) is in use (another hub?);"
                            + " choose another with --management-port PORT";
                }
                return "the HTTP port " + b.getPort() + " is in use (another hub?); choose another with --http-port PORT";
            }
            if (t.getMessage() != null && t.getMessage().startsWith("Unable to start the management interface")) {
                return "the management port " + managementPort + " (health, metrics) is in use (another hub?);"
                        + " choose another with --management-port PORT";
            }
            if (t instanceof ConfigValidationException c) {
                return badConfig(c);
            }
        }
        // Quarkus wraps what a bean threw ("Failed to start quarkus", CDI wrappers): report the
        // innermost exception that says something, which is the one written for the operator.
        String best = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !t.getClass().getName().startsWith("io.quarkus")
                    && !t.getMessage().startsWith("Failed to start")) {
                best = t.getMessage();
                if (t instanceof IllegalStateException || t instanceof java.io.UncheckedIOException) {
                    break;
                }
            }
        }
        return oneLine(best != null ? best : "the hub did not start: " + failure.getClass().getSimpleName());
    }

    /** {@code the setting savesync.x (SAVESYNC_X) has the bad value "v": why; ...}. */
    private static String badConfig(ConfigValidationException c) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < c.getProblemCount(); i++) {
            String m = c.getProblem(i).getMessage();
            Matcher v = BAD_VALUE.matcher(m == null ? "" : m);
            if (v.find()) {
                String key = v.group(1);
                String why = v.group(3).isBlank() ? "" : ": " + shorten(v.group(3));
                problems.add("the setting " + key + " (environment variable " + envName(key) + ") has the bad value \""
                        + shorten(v.group(2)) + "\"" + why);
            } else {
                problems.add(shorten(m == null ? "a setting is not valid" : m.replaceFirst("^SRCFG\\d+:\\s*", "")));
            }
        }
        if (problems.isEmpty()) {
            problems.add(shorten(c.getMessage()));
        }
        return oneLine(String.join("; ", problems) + "; fix or unset it");
    }

    /** The environment variable MicroProfile Config reads for {@code key}. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String shorten(String s) {
        String one = oneLine(s);
        return one.length() > MAX_DETAIL ? one.substring(0, MAX_DETAIL) + "…" : one;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
