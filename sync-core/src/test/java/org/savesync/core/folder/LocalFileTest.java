package org.savesync.core.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.savesync.core.folder.LocalFile.Kind;

class LocalFileTest {
    private static final LocalFile FILE = new LocalFile("a/b", Kind.FILE, 10, 1_000, false, null, 77, 5);

    @Test
    void sameStatComparesWhatAChangeMoves() {
        assertThat(FILE.sameStat(new LocalFile("moved", Kind.FILE, 10, 1_000, false, null, 77, 999)))
                .as("path and ctime are not compared").isTrue();
        assertThat(FILE.sameStat(new LocalFile("a/b", Kind.FILE, 11, 1_000, false, null, 77, 5))).isFalse();
        assertThat(FILE.sameStat(new LocalFile("a/b", Kind.FILE, 10, 1_001, false, null, 77, 5))).isFalse();
        assertThat(FILE.sameStat(new LocalFile("a/b", Kind.FILE, 10, 1_000, false, null, 78, 5))).isFalse();
        assertThat(FILE.sameStat(new LocalFile("a/b", Kind.FILE, 10, 1_000, true, null, 77, 5))).isFalse();
        assertThat(FILE.sameStat(new LocalFile("a/b", Kind.DIRECTORY, 10, 1_000, false, null, 77, 5))).isFalse();
        assertThat(FILE.sameStat(null)).isFalse();
        LocalFile link = new LocalFile("l", Kind.SYMLINK, 0, 1, false, "x", 3, 1);
        assertThat(link.sameStat(new LocalFile("l", Kind.SYMLINK, 0, 1, false, "y", 3, 1))).isFalse();
    }

    @Test
    void aTargetBelongsToSymlinksOnly() {
        assertThatThrownBy(() -> new LocalFile("l", Kind.SYMLINK, 0, 1, false, null, 3, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalFile("f", Kind.FILE, 0, 1, false, "x", 3, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalFile("", Kind.FILE, 0, 1, false, null, 3, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
