package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c.txt", "Photos/2024/IMG_0001.JPG", "résumé.pdf", "日本語/ファイル.txt",
            "emoji 😀/x", ".bashrc", "a/.savesync", "savesync/x", "..a", "a..b", "con_x", "console.txt", "COM10",
            "LPT0x", "x/auxiliary", "name with spaces/in it", "a.b.c", "~", "-", "#%&'()+,;=@[]^`{}!$"})
    void acceptsOrdinaryPaths(String p) {
        SafePath path = SafePath.of(p);
        assertThat(path.toString()).isEqualTo(p);
        assertThat(SafePath.normalize(p)).isEqualTo(path);
    }

    @Test
    void acceptsTheLimits() {
        String component = "x".repeat(255);
        assertThat(SafePath.of(component).name()).hasSize(255);
        String longPath = String.join("/", java.util.Collections.nCopies(17, "y".repeat(240))); // 17*240+16 = 4096
        assertThat(SafePath.of(longPath).toString()).hasSize(4096);
    }

    @Test
    void refusesUnsafePathsNamingTheRule() {
        refused("../x", "'..'");
        refused("/etc/x", "absolute");
        refused("a/../../b", "'..'");
        refused("a\0b", "control character U+0000");
        refused("a\tb", "control character U+0009");
        refused("a\u007fb", "control character U+007F");
        refused("CON", "Windows device name CON");
        refused("con.txt", "Windows device name CON");
        refused("a/NUL/b", "Windows device name NUL");
        refused("Lpt9.log", "Windows device name LPT9");
        refused("com\u00b9", "Windows device name");
        refused("aux .txt", "Windows device name AUX");
        refused("a\\b", "backslash");
        refused("a//b", "empty component");
        refused("a/", "trailing '/'");
        refused("x/.", "'.'");
        refused("./x", "'.'");
        refused(".", "'.'");
        refused("trailing. ", "ends in '.' or space");
        refused("dir./x", "ends in '.' or space");
        refused("e\u0301", "NFC");
        refused(".savesync/x", ".savesync");
        refused(".savesync", ".savesync");
        refused(".SaveSync/tmp", ".savesync");
        refused("", "empty path");
        refused("a:b", "':'");
        refused("what?", "'?'");
        refused("x*", "'*'");
        refused("a|b", "'|'");
        refused("<a>", "'<'");
        refused("say \"hi\"", "'\"'");
        refused("x".repeat(256), "longer than 255");
        refused("a\ud800b", "lone surrogate");
        refused(String.join("/", java.util.Collections.nCopies(17, "y".repeat(240))) + "/y", "longer than 4096");
        refused("é".repeat(128), "longer than 255");
    }

    @Test
    void exceptionCarriesPathAndReason() {
        UnsafePathException e = catchThrowableOfType(UnsafePathException.class, () -> SafePath.of("a\0b"));
        assertThat(e.path()).isEqualTo("a\0b");
        assertThat(e.reason()).contains("control character");
        assertThat(e.getMessage()).contains("a\\u0000b").doesNotContain("\0");
        assertThat(catchThrowableOfType(UnsafePathException.class, () -> SafePath.of(null)).getMessage()).contains("no path");
    }

    @Test
    void normalizeComposesFirst() {
        SafePath p = SafePath.normalize("cafe\u0301/x");
        assertThat(p.toString()).isEqualTo("caf\u00e9/x");
        assertThatThrownBy(() -> SafePath.normalize("../x")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void navigation() {
        SafePath p = SafePath.of("a/b/c.txt");
        assertThat(p.name()).isEqualTo("c.txt");
        assertThat(p.parent()).contains(SafePath.of("a/b"));
        assertThat(SafePath.of("a").parent()).isEmpty();
        assertThat(p.ancestors()).containsExactly(SafePath.of("a"), SafePath.of("a/b"));
        assertThat(SafePath.of("a").ancestors()).isEmpty();
        assertThat(p.components()).containsExactly("a", "b", "c.txt");
        assertThat(SafePath.of("a").isAncestorOf(p)).isTrue();
        assertThat(SafePath.of("a/b").isAncestorOf(p)).isTrue();
        assertThat(p.isAncestorOf(p)).isFalse();
        assertThat(SafePath.of("a/b/c").isAncestorOf(p)).isFalse();
        assertThat(SafePath.of("a/b/c.tx").isAncestorOf(p)).isFalse();
        assertThat(SafePath.of("a/b").child("d")).isEqualTo(SafePath.of("a/b/d"));
        assertThat(p.withName("d")).isEqualTo(SafePath.of("a/b/d"));
        assertThat(SafePath.of("x").withName("y")).isEqualTo(SafePath.of("y"));
        assertThatThrownBy(() -> p.child("..")).isInstanceOf(UnsafePathException.class);
        assertThat(List.of(SafePath.of("b"), SafePath.of("a/z"), SafePath.of("a")).stream().sorted().map(SafePath::toString))
                .containsExactly("a", "a/z", "b");
    }

    @Test
    void resolvesInsideTheRoot() {
        Path root = Path.of("/tmp/folder");
        assertThat(SafePath.of("a/b/c.txt").resolveIn(root)).isEqualTo(Path.of("/tmp/folder/a/b/c.txt"));
        assertThat(SafePath.of("a/b").resolveIn(root).startsWith(root)).isTrue();
    }

    @TestFactory
    Stream<DynamicTest> anythingAcceptedStaysInsideTheRoot() {
        return Seeded.tries(300, g -> anythingAcceptedStaysInsideTheRoot(String.join("", g.list(1, 5, p -> p.pick(PARTS)))));
    }

    private static void anythingAcceptedStaysInsideTheRoot(String candidate) {
        SafePath p;
        try {
            p = SafePath.of(candidate);
        } catch (UnsafePathException e) {
            return;
        }
        Path root = Path.of("/srv/root");
        Path resolved = p.resolveIn(root).normalize();
        assertThat(resolved.startsWith(root)).isTrue();
        assertThat(resolved).isNotEqualTo(root);
        assertThat(p.components()).doesNotContain("", ".", "..");
        assertThat(SafePath.of(p.toString())).isEqualTo(p);
    }

    /** Pieces that candidate paths are glued from: separators, dot names, NUL, combining marks. */
    private static final List<String> PARTS = List.of("a", "..", ".", "", "/", "b.txt", "\0", "con", "é", "e\u0301", " ",
            "x.", "\\", ".savesync");

    private static void refused(String p, String ruleText) {
        UnsafePathException e = catchThrowableOfType(UnsafePathException.class, () -> SafePath.of(p));
        assertThat(e).as("'%s' must be refused", p).isNotNull();
        assertThat(e.getMessage()).as("message for '%s'", p).contains(ruleText);
    }
}
