package org.savesync.core.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void pathOrderPutsASubtreeRightAfterItsDirectoryAndComparesCodePoints() {
        List<String> paths = new ArrayList<>(List.of("a.txt", "a b", "a/y", "a", "😀", "\uFFFD", "a/x/z", "B"));
        paths.sort(Names.PATH_ORDER);
        assertThat(paths).containsExactly("B", "a", "a/x/z", "a/y", "a b", "a.txt", "\uFFFD", "😀");
        assertThat(Names.comparePaths("a", "a")).isZero();
    }

    @Test
    void splitAcceptsPlainRelativeNfcPaths() throws Exception {
        assertThat(Names.split("a/b c/Ünïcødé.txt")).containsExactly("a", "b c", "Ünïcødé.txt");
        assertThat(Names.split("sub/.savesync")).containsExactly("sub", ".savesync");
        assertThat(Names.split(".savesync2")).containsExactly(".savesync2");
    }

    @Test
    void splitRefusesEverythingElse() {
        for (String bad : new String[] {"", "/a", "a/", "a//b", ".", "..", "a/../b", "a/./b", "x\0y", "x\\y",
                "x\u007fy", "x\u0085y", "e\u0301", ".savesync", ".savesync/tmp/a"}) {
            assertThatThrownBy(() -> Names.split(bad)).as(bad).isInstanceOf(Names.InvalidPath.class);
        }
        assertThatThrownBy(() -> Names.split(null)).isInstanceOf(Names.InvalidPath.class);
    }
}
