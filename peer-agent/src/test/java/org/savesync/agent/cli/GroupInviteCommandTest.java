package org.savesync.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code savesync group invite}: its options, their help, and the request they make of the agent. */
class GroupInviteCommandTest {
    private static Map<String, Object> body(String... args) {
        return CommandLine.populateCommand(new GroupCommand.Invite(), args).body();
    }

    @Test
    void readOnlyAndUsesGoToTheAgent() {
        assertThat(body("G")).containsExactly(Map.entry("expiresSeconds", 86_400L), Map.entry("reusable", false),
                Map.entry("readOnly", false));
        assertThat(body("G", "--read-only", "--uses", "5", "--expires", "2h")).containsExactly(
                Map.entry("expiresSeconds", 7_200L), Map.entry("reusable", false), Map.entry("readOnly", true),
                Map.entry("uses", 5));
        assertThat(body("G", "--reusable")).containsEntry("reusable", true).doesNotContainKey("uses");
    }

    @Test
    void theHelpSaysWhatTheyDo() {
        String help = new CommandLine(new GroupCommand.Invite()).getUsageMessage();
        assertThat(help).contains("--read-only").contains("every member refuses what they write")
                .contains("--uses=N").contains("1 to 10000").contains("1m to 30d");
    }
}
