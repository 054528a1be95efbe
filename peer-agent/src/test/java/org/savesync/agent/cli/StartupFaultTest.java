package org.savesync.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a failed start of Quarkus becomes: one line for the user. */
class StartupFaultTest {
    @Test
    void aConfigValueThatDoesNotConvert() {
        var failure = new RuntimeException("Failed to start quarkus", new IllegalStateException(
                "Configuration validation failed:\n\tjava.lang.IllegalArgumentException: SRCFG00039: The config property"
                        + " savesync.rescan-interval with the config value \"soon\" threw an Exception whilst being"
                        + " converted java.time.format.DateTimeParseException: Text cannot be parsed to a Duration\n"));

        assertThat(StartupFault.describe(failure)).isEqualTo("bad setting: savesync.rescan-interval"
                + " (SAVESYNC_RESCAN_INTERVAL) = \"soon\" is not valid: Text cannot be parsed to a Duration; the README's"
                + " agent configuration table lists the keys and their formats");
    }

    @Test
    void theInnermostMessageForTheUserNotTheWrappers() {
        var failure = new RuntimeException("Failed to start quarkus", new IllegalStateException(
                "cannot start the sync engine on 0.0.0.0:22100: Address in use (is another agent using this port?)",
                new java.net.BindException("Address in use")));

        assertThat(StartupFault.describe(failure)).isEqualTo("cannot start the sync engine on 0.0.0.0:22100: Address in"
                + " use (is another agent using this port?)");
    }
}
