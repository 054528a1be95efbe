package org.savesync.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What {@code savesync status} prints about the hub. */
class StatusCommandTest {

    private static JsonNode hub() throws Exception {
        return ApiClient.JSON.readTree("""
                {"address":"127.0.0.1:22000","nodeId":"hubid","connected":true,"groups":[
                  {"id":"g1","name":"photos","state":"registered","detail":"handed over"},
                  {"id":"g2","name":"docs","state":"refused: not enrolled","detail":"restart with --enroll-token TOKEN"},
                  {"id":"g3","name":"music","state":"pending","detail":"attempt 1 failed: cannot connect",
                   "nextAttemptSeconds":2},
                  {"id":"g4","name":"theirs","state":"skipped","detail":"another member"}]}
                """);
    }

    @Test
    void oneLineForTheHub() throws Exception {
        assertThat(StatusCommand.hubLine(hub())).isEqualTo(
                "  hub 127.0.0.1:22000#hubid connected: 1 group(s) registered, 1 pending, 1 refused");
    }

    @Test
    void aGroupThatIsNotRegisteredSaysWhy() throws Exception {
        assertThat(StatusCommand.hubRegistration(hub(), "g1")).isEmpty();
        assertThat(StatusCommand.hubRegistration(hub(), "g4")).isEmpty();
        assertThat(StatusCommand.hubRegistration(hub(), "g2"))
                .hasValue("refused: not enrolled (restart with --enroll-token TOKEN)");
        assertThat(StatusCommand.hubRegistration(hub(), "g3"))
                .hasValue("pending (attempt 1 failed: cannot connect; next try in 2 s)");
    }
}
