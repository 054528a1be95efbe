package org.savesync.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TreeBuilderTest {
    private Path base;

    @BeforeEach
    void setUp() {
        base = Workloads.tempDir("tree");
    }

    @AfterEach
    void tearDown() {
        Workloads.deleteTree(base);
    }

    @Test
    void buildsWhatItSays() throws Exception {
        Path root = TreeBuilder.at(base.resolve("t")).sample()
                .file("m/t.txt", "timed", 42_000_000_007L)
                .symlink("m/l", "../old.txt").mtime("m/l", 5_000_000_003L)
                .randomFile("r.bin", 20, 9)
                .socket("s").root();

        assertThat(root.resolve(TreeBuilder.UNICODE_FILE)).hasContent("こんにちは");
        assertThat(root.resolve(TreeBuilder.EMOJI_FILE)).hasContent("🎉");
        assertThat(root.resolve("docs/empty")).isEmptyDirectory();
        assertThat(root.resolve("docs/empty.txt")).isEmptyFile();
        assertThat(Files.isExecutable(root.resolve("bin/run.sh"))).isTrue();
        assertThat(Files.isExecutable(root.resolve("docs/readme.txt"))).isFalse();
        assertThat(Files.readSymbolicLink(root.resolve("docs/link-to-readme"))).isEqualTo(Path.of("readme.txt"));
        assertThat(Files.getLastModifiedTime(root.resolve("m/t.txt")).to(TimeUnit.NANOSECONDS)).isEqualTo(42_000_000_007L);
        assertThat(Files.getLastModifiedTime(root.resolve("m/l"), LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS))
                .isEqualTo(5_000_000_003L);
        assertThat(Files.getLastModifiedTime(root.resolve("old.txt")).to(TimeUnit.NANOSECONDS))
                .isEqualTo(1_500_000_000_123_456_789L);
        assertThat(Files.readAllBytes(root.resolve("r.bin"))).isEqualTo(Workloads.randomBytes(9, 20));
        assertThat(Files.isRegularFile(root.resolve("s"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(root.resolve("s"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
