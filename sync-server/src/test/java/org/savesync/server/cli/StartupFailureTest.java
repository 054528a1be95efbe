package org.savesync.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.QuarkusBindException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class StartupFailureTest {
    @Test
    void aTakenHttpPortSaysWhichAndHowToChooseAnother() {
        Throwable t = new RuntimeException("Failed to start quarkus",
                new QuarkusBindException("127.0.0.1", 22080, new BindException("Address already in use")));
        assertThat(StartupFailure.describe(t, 22081))
                .isEqualTo("the HTTP port 22080 is in use (another hub?); choose another with --http-port PORT");
    }

    @Test
    void theHubsOwnMessageIsDugOutOfQuarkusWrappers() {
        Throwable ours = new IllegalStateException("cannot start the hub's sync engine on UDP 0.0.0.0:22000: bind"
                + " failed (is another hub or program using that port? choose another with --listen HOST:PORT)",
                new java.io.IOException("Address already in use"));
        Throwable t = new RuntimeException("Failed to start quarkus", new RuntimeException(ours));
        assertThat(StartupFailure.describe(t, 22081)).isEqualTo(ours.getMessage());
    }
}
