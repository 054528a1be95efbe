package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.testsupport.Workloads;

/**
 * Two engines in one JVM over real QUIC on loopback. A's folder holds nested directories,
 * empty files, a symlink, an executable, unicode names and a 1 GiB file; B joins into a
 * folder that already holds 10,000 small files. Both trees end up on both sides, then
 * edits, deletes and a rename on each side cross back. Trees are compared with manifests
 * the test builds itself.
 */
class QuicReplicationTest {
    @TempDir
    Path tmp;

    @Test
    void treesReplicateBothWays() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        TreeBuilder.at(a).sample()
                .dir("deep/er/and/deeper").emptyFile("deep/er/and/deeper/empty")
                .emptyFile("empty.txt").file("Ünïcødé/日本語/ファイル.txt", "こんにちは")
                .file("emoji/😀 smile.txt", "😀").executable("bin/run.sh", "#!/bin/sh\necho hi\n")
                .symlink("link-to-run", "bin/run.sh");
        Workloads.hardlinkOrCopy(Workloads.oneGiBFile(), a.resolve("big/one-gib.bin"));
        Workloads.writeSmallFiles(b.resolve("small"), 10_000, 4096, 11);

        try (QuicCluster c = new QuicCluster(tmp, 2).formGroup()) {
            awaitSame(c, a, b, Duration.ofMinutes(10));
            assertThat(Manifest.of(b).get("big/one-gib.bin").size()).isEqualTo(1L << 30);
            assertThat(Manifest.of(a).paths()).contains("small/" + Manifest.of(b).paths().stream()
                    .filter(p -> p.startsWith("small/")).findFirst().orElseThrow().substring(6));
            assertThat(Files.isSymbolicLink(b.resolve("link-to-run"))).isTrue();
            assertThat(Files.isExecutable(b.resolve("bin/run.sh"))).isTrue();

            // Changes on both sides cross back.
            c.handle(1).withFolderLock(() -> {
                Files.writeString(b.resolve("empty.txt"), "no longer empty");
                Files.delete(b.resolve("Ünïcødé/日本語/ファイル.txt"));
                return null;
            });
            c.handle(1).scan().get(60, TimeUnit.SECONDS);
            c.handle(0).withFolderLock(() -> {
                Files.move(a.resolve("big/one-gib.bin"), a.resolve("big/renamed.bin"), StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(a.resolve("new-on-a.txt"), "fresh");
                return null;
            });
            long servedBeforeRename = c.engines.get(0).stats().chunkBytesServed.sum();
            c.handle(0).scan().get(5, TimeUnit.MINUTES);
            awaitSame(c, a, b, Duration.ofMinutes(5));
            assertThat(Files.readString(a.resolve("empty.txt"))).isEqualTo("no longer empty");
            assertThat(Files.exists(a.resolve("Ünïcødé/日本語/ファイル.txt"))).isFalse();
            assertThat(Files.size(b.resolve("big/renamed.bin"))).isEqualTo(1L << 30);
            // A rename re-sends no chunk bytes: B rebuilt the file from its own copy.
            assertThat(c.engines.get(0).stats().chunkBytesServed.sum() - servedBeforeRename)
                    .isLessThan(1 << 20);
        }
    }

    static void awaitSame(QuicCluster c, Path a, Path b, Duration deadline) {
        Awaitility.await().atMost(deadline).pollInterval(Duration.ofMillis(500)).until(() ->
                c.handle(0).status().idle() && c.handle(1).status().idle()
                        && Manifest.of(a).equals(Manifest.of(b)));
    }
}
