package org.savesync.server.cli;

import io.quarkus.runtime.QuarkusBindException;

/** Turns what stopped Quarkus from starting into the one line the operator reads. */
final class StartupFailure {
    private StartupFailure() {
    }

    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QuarkusBindException b) {
                return "the HTTP port " + b.getPort() + " is in use (another hub?); choose another with --http-port PORT";
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
                    return best;
                }
            }
        }
        return best != null ? best : "the hub did not start: " + failure;
    }
}
