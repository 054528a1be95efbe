package org.savesync.core.ignore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreFileTest {
    @TempDir
    Path root;

    @Test
    void isReadAgainOnlyWhenItsStatChanges() throws Exception {
        IgnoreFile f = new IgnoreFile(root);
        assertThat(f.refresh()).as("first read, no file").isTrue();
        assertThat(f.rules().isEmpty()).isTrue();
        assertThat(f.refresh()).as("still no file").isFalse();

        Path file = root.resolve(IgnoreFile.NAME);
        Files.writeString(file, "*.tmp\n");
        assertThat(f.refresh()).isTrue();
        assertThat(f.rules().isIgnored("a.tmp", false)).isTrue();
        assertThat(f.refresh()).as("unchanged stat: not read again").isFalse();

        Files.writeString(file, "*.bak\n*.log\n");
        assertThat(f.refresh()).isTrue();
        assertThat(f.rules().isIgnored("a.tmp", false)).isFalse();
        assertThat(f.rules().isIgnored("a.bak", false)).isTrue();

        Files.delete(file);
        assertThat(f.refresh()).isTrue();
        assertThat(f.rules().isEmpty()).isTrue();
    }

    @Test
    void reportsInvalidLinesAndNeverFollowsASymlink() throws Exception {
        IgnoreFile f = new IgnoreFile(root);
        Files.writeString(root.resolve(IgnoreFile.NAME), "ok\n[bad\n");
        f.refresh();
        assertThat(f.problems()).extracting(IgnoreProblem::line).containsExactly(2);
        assertThat(f.rules().isIgnored("ok", false)).isTrue();

        Path elsewhere = Files.writeString(root.resolve("patterns.txt"), "*\n");
        Files.delete(root.resolve(IgnoreFile.NAME));
        Files.createSymbolicLink(root.resolve(IgnoreFile.NAME), elsewhere);
        assertThat(f.refresh()).isTrue();
        assertThat(f.rules().isIgnored("anything", false)).isFalse();
        assertThat(f.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isZero();
            assertThat(p.reason()).contains("symlink");
        });
    }

    @Test
    void onlyTheRootFileIsTheIgnoreFile() {
        assertThat(IgnoreFile.isIgnoreFile(".savesyncignore")).isTrue();
        assertThat(IgnoreFile.isIgnoreFile("sub/.savesyncignore")).isFalse();
    }
}
