package org.savesync.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.savesync.core.replication.SafePath;

/** Every failed step of a transfer is tried again, with a backoff per file, and says why it waits. */
class RetryScheduleTest {
    private static final long S = 1_000_000_000L;
    private final SafePath a = SafePath.of("a.txt");
    private final SafePath b = SafePath.of("d/b.txt");

    @Test
    void theBackoffDoublesFromOneSecondUpToAMinute() {
        assertThat(RetrySchedule.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetrySchedule.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetrySchedule.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(RetrySchedule.delay(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetrySchedule.delay(10_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aFailedFileIsDueAfterItsBackoffAndWaitsLongerEachTime() {
        RetrySchedule r = new RetrySchedule();
        long t0 = 1_000 * S;
        r.failed(a, "cannot create temp files: too many open files", false, t0);
        assertThat(r.due(t0 + S / 2, false)).isEmpty();
        assertThat(r.due(t0 + S / 2, true)).as("a local failure does not end with new peers").isEmpty();
        assertThat(r.due(t0 + S, false)).containsExactly(a);
        assertThat(r.isWaiting(a)).isFalse();
        r.failed(a, "cannot create temp files: too many open files", false, t0 + S);
        assertThat(r.due(t0 + 2 * S, false)).isEmpty();
        assertThat(r.due(t0 + 3 * S, false)).containsExactly(a);
        r.forget(a); // it worked: the next failure starts from one second again
        r.failed(a, "x", false, t0);
        assertThat(r.due(t0 + S, false)).containsExactly(a);
    }

    @Test
    void aFileWaitingForContentIsReleasedWhenThePeersChange() {
        RetrySchedule r = new RetrySchedule();
        r.failed(b, "no connected member has its chunk list", true, 0);
        assertThat(r.due(1, false)).isEmpty();
        assertThat(r.due(1, true)).containsExactly(b);
    }

    @Test
    void theProblemNamesTheCommonestReasonAndHowManyWait() {
        RetrySchedule r = new RetrySchedule();
        assertThat(r.problem()).isEmpty();
        r.failed(a, "cannot create temp files: too many open files", false, 0);
        r.failed(b, "cannot create temp files: too many open files", false, 0);
        r.failed(SafePath.of("c"), "no connected member has its chunk list", true, 0);
        assertThat(r.problem()).isEqualTo("cannot create temp files: too many open files (2 file(s) waiting to retry,"
                + " 1 more for other reasons)");
        r.clear();
        assertThat(r.problem()).isEmpty();
    }

    @Test
    void anIoErrorReadsAsAUserWouldSayIt() {
        assertThat(Transfer.why(new FileSystemException("/x/.savesync/tmp/ab", null, "Too many open files")))
                .isEqualTo("too many open files");
        assertThat(Transfer.why(new IOException("No space left on device"))).isEqualTo("No space left on device");
    }
}
