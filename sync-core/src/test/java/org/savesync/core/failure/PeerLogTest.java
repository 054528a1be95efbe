package org.savesync.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerLogTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final PeerLog log = new PeerLog(now::get);

    private List<String> write(String format, int times) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            String line = log.line(format, "peer", i);
            if (line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void aFloodOfOneKindPassesItsBurstPerWindowAndTellsHowManyWereHeldBack() {
        assertThat(write("%s sent bad chunk %d", 1_000)).as("lines of a burst of 1,000").hasSize(PeerLog.BURST)
                .allSatisfy(l -> assertThat(l).doesNotContain("not logged"));

        now.addAndGet(PeerLog.WINDOW.toNanos() - 1);
        assertThat(log.line("%s sent bad chunk %d", "peer", 0)).as("still inside the window").isNull();

        now.addAndGet(1);
        assertThat(log.line("%s sent bad chunk %d", "peer", 1)).as("the first line of the next window")
                .isEqualTo("peer sent bad chunk 1 (981 more like this were not logged in the last 1 min)");
        assertThat(log.line("%s sent bad chunk %d", "peer", 2)).isEqualTo("peer sent bad chunk 2");
    }

    @Test
    void kindsHaveTheirOwnBudgets() {
        write("%s sent bad chunk %d", 100);
        assertThat(write("%s sent a bad entry %d", 5)).as("another kind, after the first one's flood").hasSize(5);
    }

    @Test
    void textAPeerChoseCannotForgeALine() {
        String forged = log.line("peer reports: %s", "ok\n12:00:00 INFO  [engine] all is well\u001b[2J\u2028x");
        assertThat(forged).doesNotContain("\n", "\u001b", "\u2028")
                .isEqualTo("peer reports: ok\\u000a12:00:00 INFO  [engine] all is well\\u001b[2J\\u2028x");
        assertThat(PeerLog.printable("a\u0085b\u007fc\ud800")).isEqualTo("a\\u0085b\\u007fc\\ud800");
        assertThat(PeerLog.printable("😀")).as("a surrogate pair is a character").isEqualTo("😀");
    }

    @Test
    void aLongLineIsCut() {
        String line = log.line("peer reports: %s", "x".repeat(4_096));
        assertThat(line).hasSize(PeerLog.MAX_LINE + 1).endsWith("x…");
        assertThat(PeerLog.printable("abcdef", 3)).isEqualTo("abc…");
        assertThat(PeerLog.printable(null, 3)).isEqualTo("null");
    }
}
