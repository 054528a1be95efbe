package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;

/**
 * A's {@code .savesyncignore} says {@code *.tmp} and {@code build/}; B ignores nothing. Each
 * step ends with a sentinel file crossing over, both nodes idle and holding the same entries,
 * so whatever was going to happen has happened before the assertions look.
 */
class IgnoreSyncTest {
    private static final String A_RULES = "# A's own rules\n*.tmp\nbuild/\n";
    private static final String B_RULES = "# B ignores nothing\n";

    @TempDir
    Path tmp;

    @Test
    void ignoredPathsStayOnTheirSide() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        TreeBuilder.at(a).file(".savesyncignore", A_RULES).file("keep.txt", "keep").file("notes.log", "notes v1")
                .file("scratch.tmp", "a's scratch").file("sub/deep.tmp", "deep").file("build/out.o", "obj")
                .file("build/sub/x.o", "x").file("sub/.savesyncignore", "an ordinary file below the root");
        TreeBuilder.at(b).file(".savesyncignore", B_RULES).file("from-b.txt", "b");

        try (SimCluster c = new SimCluster(tmp, 2, 7, SimCluster.fastConfig("ignore")).formGroup()) {
            // A's ignored files never reach B; each side keeps its own .savesyncignore.
            settle(c, b, "keep.txt");
            settle(c, a, "from-b.txt");
            assertThat(Manifest.of(b).paths()).containsExactlyInAnyOrder(".savesyncignore", "from-b.txt",
                    "keep.txt", "notes.log", "sub", "sub/.savesyncignore");
            assertThat(Files.readString(b.resolve(".savesyncignore"))).isEqualTo(B_RULES);
            assertThat(Files.readString(a.resolve(".savesyncignore"))).isEqualTo(A_RULES);
            assertThat(c.handle(0).ignoreProblems()).isEmpty();
            assertThat(indexPaths(c, 1)).as("B's index").doesNotContain(".savesyncignore", "scratch.tmp",
                    "sub/deep.tmp", "build", "build/out.o", "build/sub/x.o");

            // B's files at paths A ignores are not written into A's folder, nor is A's copy overwritten.
            c.handle(1).withFolderLock(() -> TreeBuilder.at(b).file("remote.tmp", "b's tmp")
                    .file("scratch.tmp", "b's scratch").file("build/from-b.o", "b's obj").file("sentinel-1", "1"));
            c.handle(1).scan().get(30, TimeUnit.SECONDS);
            settle(c, a, "sentinel-1");
            assertThat(Files.exists(a.resolve("remote.tmp"))).isFalse();
            assertThat(Files.exists(a.resolve("build/from-b.o"))).isFalse();
            assertThat(Files.readString(a.resolve("scratch.tmp"))).isEqualTo("a's scratch");
            assertThat(c.handle(0).status().filesPending()).isZero();

            // A rule for a file that is already synced deletes it nowhere; nor does deleting it afterwards.
            c.handle(0).withFolderLock(() -> Files.writeString(a.resolve(".savesyncignore"), A_RULES + "*.log\n"));
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            c.handle(0).withFolderLock(() -> TreeBuilder.at(a).file("sentinel-2", "2"));
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            settle(c, b, "sentinel-2");
            assertThat(Files.readString(a.resolve("notes.log"))).isEqualTo("notes v1");
            assertThat(Files.readString(b.resolve("notes.log"))).isEqualTo("notes v1");
            c.handle(0).withFolderLock(() -> {
                Files.delete(a.resolve("notes.log"));
                return TreeBuilder.at(a).file("sentinel-3", "3");
            });
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            settle(c, b, "sentinel-3");
            assertThat(Files.readString(b.resolve("notes.log"))).isEqualTo("notes v1");

            // Dropping the build/ rule: both sides' build files cross over now.
            c.handle(0).withFolderLock(() -> Files.writeString(a.resolve(".savesyncignore"), "*.tmp\n*.log\n"));
            c.handle(0).scan().get(30, TimeUnit.SECONDS);
            settle(c, a, "build/from-b.o");
            settle(c, b, "build/sub/x.o");
            assertThat(Files.readString(b.resolve("build/out.o"))).isEqualTo("obj");
            assertThat(Files.exists(a.resolve("remote.tmp"))).isFalse();

            // .savesyncignore stayed on each side, and no copy of it appeared anywhere.
            assertThat(Files.readString(b.resolve(".savesyncignore"))).isEqualTo(B_RULES);
            assertThat(Files.readString(a.resolve(".savesyncignore"))).isEqualTo("*.tmp\n*.log\n");
            for (int i = 0; i < 2; i++) {
                assertThat(Manifest.of(c.folders.get(i)).paths()).filteredOn(p -> p.contains("savesyncignore"))
                        .containsExactlyInAnyOrder(".savesyncignore", "sub/.savesyncignore");
                assertThat(indexPaths(c, i)).filteredOn(p -> p.contains("savesyncignore"))
                        .containsExactly("sub/.savesyncignore");
            }
        }
    }

    /** The paths node {@code i}'s index holds entries for. */
    private static java.util.List<String> indexPaths(SimCluster c, int i) {
        return c.stores.get(i).open(c.group).paths().stream().map(Object::toString).toList();
    }

    /** Waits until {@code sentinel} is in {@code where}, both nodes are idle and hold the same entries. */
    private static void settle(SimCluster c, Path where, String sentinel) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                Files.exists(where.resolve(sentinel)) && c.handle(0).status().idle() && c.handle(1).status().idle()
                        && c.handle(0).knowledge().equals(c.handle(1).knowledge()));
    }
}
