package org.savesync.core.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private Path base;
    private Path a;
    private Path b;

    @BeforeEach
    void setUp() {
        base = Workloads.tempDir("manifest");
        a = TreeBuilder.at(base.resolve("a")).sample().root();
        b = TreeBuilder.copyOf(a, base.resolve("b")).root();
    }

    @AfterEach
    void tearDown() {
        Workloads.deleteTree(base);
    }

    private String diffAfterChange() {
        return Manifest.of(a).diff(Manifest.of(b));
    }

    @Test
    void recordsEveryKindOfEntry() throws Exception {
        Manifest m = Manifest.of(a, Manifest.Options.ALL_MTIMES);

        assertThat(m.paths()).containsExactlyInAnyOrder("bin", "bin/run.sh", "docs", "docs/empty",
                "docs/empty.txt", "docs/link-to-readme", "docs/readme.txt", "emoji 😀 party.txt", "old.txt",
                "Ünïcødé", "Ünïcødé/日本語.txt");
        Manifest.Entry readme = m.get("docs/readme.txt");
        assertThat(readme.type()).isEqualTo(Manifest.Type.FILE);
        assertThat(readme.size()).isEqualTo(6);
        // sha256("hello\n"), computed independently
        assertThat(readme.sha256()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        assertThat(m.get("bin/run.sh").executable()).isTrue();
        assertThat(m.get("old.txt").mtimeNanos()).isEqualTo(1_500_000_000_123_456_789L);
        assertThat(m.get("docs/link-to-readme").symlinkTarget()).isEqualTo("readme.txt");
        assertThat(m.get("docs").mtimeNanos()).isPositive();
        assertThat(Manifest.of(a).get("docs").mtimeNanos()).isEqualTo(-1);
    }

    @Test
    void aFaithfulCopyIsTheSameEvenWithAllMtimes() {
        assertThat(Manifest.of(a)).isEqualTo(Manifest.of(b));
        assertThat(Manifest.of(a).diff(Manifest.of(b))).isEmpty();
        Manifest.assertSame(Manifest.of(a, Manifest.Options.ALL_MTIMES), Manifest.of(b, Manifest.Options.ALL_MTIMES));
    }

    @Test
    void detectsChangedContentOfTheSameSize() throws Exception {
        Files.writeString(b.resolve("docs/readme.txt"), "HELLO\n");
        Files.setLastModifiedTime(b.resolve("docs/readme.txt"), Files.getLastModifiedTime(a.resolve("docs/readme.txt")));
        assertThat(diffAfterChange()).startsWith("different: docs/readme.txt: content sha256").doesNotContain("size");
    }

    @Test
    void detectsAChangedMtime() throws Exception {
        Files.setLastModifiedTime(b.resolve("old.txt"), FileTime.from(1_500_000_000_123_456_788L, TimeUnit.NANOSECONDS));
        assertThat(diffAfterChange()).isEqualTo(
                "different: old.txt: mtime 1500000000123456789 != 1500000000123456788 ns");
        assertThat(Manifest.of(a, Manifest.Options.NO_MTIMES)).isEqualTo(Manifest.of(b, Manifest.Options.NO_MTIMES));
    }

    @Test
    void detectsAnExecBit() throws Exception {
        Files.setPosixFilePermissions(b.resolve("bin/run.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(diffAfterChange()).isEqualTo("different: bin/run.sh: exec true != false");
    }

    @Test
    void detectsASymlinkTarget() throws Exception {
        Files.delete(b.resolve("docs/link-to-readme"));
        Files.createSymbolicLink(b.resolve("docs/link-to-readme"), Path.of("empty.txt"));
        assertThat(diffAfterChange()).isEqualTo(
                "different: docs/link-to-readme: symlink target 'readme.txt' != 'empty.txt'");
    }

    @Test
    void detectsMissingExtraAndRetypedEntries() throws Exception {
        Files.delete(b.resolve("Ünïcødé/日本語.txt"));
        Files.writeString(b.resolve("new.txt"), "new");
        Files.delete(b.resolve("docs/empty.txt"));
        Files.createDirectory(b.resolve("docs/empty.txt"));

        assertThat(diffAfterChange().lines()).satisfiesExactly(
                l -> assertThat(l).startsWith("different: docs/empty.txt: type FILE != DIR, size 0 != -1"),
                l -> assertThat(l).startsWith("extra:     new.txt (file 3 B sha256="),
                l -> assertThat(l).startsWith("missing:   Ünïcødé/日本語.txt (file 16 B sha256="));
    }

    @Test
    void directoryMtimesAreIgnoredUnlessAsked() throws Exception {
        Files.setLastModifiedTime(b.resolve("docs"), FileTime.fromMillis(1000));
        assertThat(diffAfterChange()).isEmpty();
        assertThat(Manifest.of(a, Manifest.Options.DEFAULT.withDirMtimes(true))
                .diff(Manifest.of(b, Manifest.Options.DEFAULT.withDirMtimes(true))))
                .startsWith("different: docs: mtime");
    }

    @Test
    void ignoresTheTopLevelSavesyncOnly() throws Exception {
        TreeBuilder.at(b).file(".savesync/tmp/t-1.tmp", "partial");
        assertThat(diffAfterChange()).isEmpty();
        TreeBuilder.at(b).file("docs/.savesync", "an ordinary file");
        assertThat(diffAfterChange()).startsWith("extra:     docs/.savesync");
    }

    @Test
    void assertSameReportsTheFirstFiftyDifferences() throws Exception {
        for (int i = 0; i < 60; i++) {
            Files.writeString(b.resolve(String.format("extra-%02d", i)), "x");
        }
        assertThatThrownBy(() -> Manifest.assertSame(Manifest.of(a), Manifest.of(b)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("60 difference(s)")
                .hasMessageContaining("extra:     extra-49")
                .hasMessageNotContaining("extra-50")
                .hasMessageContaining("10 more");
    }
}
