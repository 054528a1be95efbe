package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a download's temp file is sealed (mode, mtime, fsync) on an I/O thread, so that the
 * engine thread's commit only checks and renames; the files arrive with the sender's mtime and
 * executable bit all the same.
 */
class SealedCommitTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int FILES = 20;

    @TempDir
    Path tmp;

    @Test
    void downloadedFilesAreSealedAheadAndKeepTheirMtimeAndMode() throws Exception {
        try (SimCluster c = new SimCluster(tmp, 2, 31, SimCluster.fastConfig("sealed")).formGroup()) {
            Path a = c.folders.get(0);
            Path b = c.folders.get(1);
            for (int i = 0; i < FILES; i++) {
                Path f = a.resolve("f" + i + ".txt");
                Files.writeString(f, "content of file " + i);
                Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L + i * 1_001L));
                if (i % 5 == 0) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            Awaitility.await("node 1 has every file").atMost(WAIT)
                    .until(() -> c.engines.get(1).stats().filesMaterialised.sum() >= FILES);
            for (int i = 0; i < FILES; i++) {
                Path from = a.resolve("f" + i + ".txt");
                Path to = b.resolve("f" + i + ".txt");
                assertThat(to).hasSameTextualContentAs(from);
                assertThat(Files.getLastModifiedTime(to)).as("mtime of %s", to).isEqualTo(Files.getLastModifiedTime(from));
                assertThat(Files.isExecutable(to)).as("exec bit of %s", to).isEqualTo(i % 5 == 0);
            }
            assertThat(c.engines.get(1).stats().filesSealedAhead.sum()).as("commits sealed ahead on an I/O thread")
                    .isEqualTo(c.engines.get(1).stats().filesMaterialised.sum());
        }
    }
}
