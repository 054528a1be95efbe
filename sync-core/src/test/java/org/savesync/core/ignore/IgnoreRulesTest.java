package org.savesync.core.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IgnoreRulesTest {
    private static final boolean FILE = false;
    private static final boolean DIR = true;

    /** rules, path, is a directory, ignored? */
    static Stream<Arguments> table() {
        return Stream.of(
                // a name at any depth; '*' matches a leading dot and never crosses '/'
                row("*.tmp", "a.tmp", FILE, true),
                row("*.tmp", "d/e/a.tmp", FILE, true),
                row("*.tmp", ".tmp", FILE, true),
                row("*.tmp", "a.tmpx", FILE, false),
                row("*.tmp", "tmp", FILE, false),
                row("foo/*.c", "foo/x.c", FILE, true),
                row("foo/*.c", "foo/bar/x.c", FILE, false),
                row("a*b", "a/xb", FILE, false),
                // case-sensitive
                row("*.TMP", "a.tmp", FILE, false),
                // '?' is one code point, never '/'
                row("?.txt", "a.txt", FILE, true),
                row("?.txt", "ab.txt", FILE, false),
                row("?.txt", "😀.txt", FILE, true),
                row("a?b", "a/b", FILE, false),
                // bracket classes
                row("[abc].md", "b.md", FILE, true),
                row("[abc].md", "d.md", FILE, false),
                row("[a-c]x", "bx", FILE, true),
                row("[a-c]x", "dx", FILE, false),
                row("[!a]x", "bx", FILE, true),
                row("[!a]x", "ax", FILE, false),
                row("[^a]x", "ax", FILE, false),
                row("[]]x", "]x", FILE, true),
                row("[a-]x", "-x", FILE, true),
                row("[\\]]x", "]x", FILE, true),
                // trailing '/': directories only, and everything below them
                row("build/", "build", DIR, true),
                row("build/", "build", FILE, false),
                row("build/", "build/x.o", FILE, true),
                row("build/", "sub/build", DIR, true),
                row("build/", "sub/build/deep/x.o", FILE, true),
                row("build/", "builds/x.o", FILE, false),
                // anchoring: a leading or middle '/'
                row("/root.txt", "root.txt", FILE, true),
                row("/root.txt", "sub/root.txt", FILE, false),
                row("doc/frotz", "doc/frotz", FILE, true),
                row("doc/frotz", "a/doc/frotz", FILE, false),
                row("frotz", "a/b/frotz", FILE, true),
                row("frotz", "a/frotz/x", FILE, true),
                row("/doc/", "doc/x", FILE, true),
                row("/doc/", "a/doc/x", FILE, false),
                // '**'
                row("**/logs", "logs", DIR, true),
                row("**/logs", "a/b/logs", DIR, true),
                row("**/logs/x", "a/logs/x", FILE, true),
                row("logs/**", "logs", DIR, false),
                row("logs/**", "logs/x", FILE, true),
                row("logs/**", "logs/a/b", FILE, true),
                row("logs/**", "sub/logs/x", FILE, false),
                row("a/**/b", "a/b", FILE, true),
                row("a/**/b", "a/x/b", FILE, true),
                row("a/**/b", "a/x/y/b", FILE, true),
                row("a/**/b", "a/x/c", FILE, false),
                row("**", "anything/at/all", FILE, true),
                row("a**b", "axyb", FILE, true),
                row("a**b", "ax/yb", FILE, false),
                // negation: the last match wins
                row("*.log\n!keep.log", "keep.log", FILE, false),
                row("*.log\n!keep.log", "other.log", FILE, true),
                row("!keep.log\n*.log", "keep.log", FILE, true),
                // a '!' cannot re-include below an excluded directory...
                row("build/\n!build/keep.txt", "build/keep.txt", FILE, true),
                row("build\n!build/keep.txt", "build/keep.txt", FILE, true),
                // ...but it can when only the directory's contents are excluded
                row("build/*\n!build/keep.txt", "build/keep.txt", FILE, false),
                row("build/*\n!build/keep.txt", "build/other.txt", FILE, true),
                row("build/*\n!build/keep.txt", "build", DIR, false),
                row("logs/**\n!logs/keep", "logs/keep", FILE, false),
                // escapes and trailing spaces
                row("\\#notes", "#notes", FILE, true),
                row("\\!important", "!important", FILE, true),
                row("a\\*b", "a*b", FILE, true),
                row("a\\*b", "axb", FILE, false),
                row("a\\?", "ab", FILE, false),
                row("a\\[b]", "a[b]", FILE, true),
                row("trailing\\ ", "trailing ", FILE, true),
                row("trailing  ", "trailing", FILE, true),
                row("trailing  ", "trailing ", FILE, false),
                // comments, blank lines, CRLF, NFC
                row("# *.tmp\n\n   \n", "a.tmp", FILE, false),
                row("*.tmp\r\n*.bak\r\n", "a.tmp", FILE, true),
                row("*.tmp\r\n*.bak\r\n", "a.bak", FILE, true),
                row("cafe\u0301.txt", "caf\u00e9.txt", FILE, true));
    }

    private static Arguments row(String rules, String path, boolean dir, boolean ignored) {
        return Arguments.of(rules, path, dir, ignored);
    }

    @ParameterizedTest(name = "[{index}] rules {0}: {1} (dir={2}) ignored={3}")
    @MethodSource("table")
    void decidesLikeGit(String rules, String path, boolean dir, boolean ignored) {
        IgnoreRules r = IgnoreRules.parse(rules);
        assertThat(r.problems()).isEmpty();
        assertThat(r.isIgnored(path, dir)).isEqualTo(ignored);
    }

    @Test
    void invalidLinesAreReportedWithTheirLineNumbersAndSkipped() {
        IgnoreRules r = IgnoreRules.parse(String.join("\n",
                "*.tmp", // 1
                "[abc", // 2
                "foo\\", // 3
                "!", // 4
                "/", // 5
                "[z-a]", // 6
                "a//b", // 7
                "[[:alpha:]]", // 8
                "../up", // 9
                "# a comment", // 10
                "*.bak")); // 11
        assertThat(r.problems()).extracting(IgnoreProblem::line).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(r.problems().get(0).reason()).contains("never closed");
        assertThat(r.problems().get(0).pattern()).isEqualTo("[abc");
        assertThat(r.problems().get(4).reason()).contains("reversed");
        // The valid lines around them still apply; the invalid ones match nothing.
        assertThat(r.isIgnored("x.tmp", FILE)).isTrue();
        assertThat(r.isIgnored("x.bak", FILE)).isTrue();
        assertThat(r.isIgnored("[abc", FILE)).isFalse();
        assertThat(r.isIgnored("a", FILE)).isFalse();
        assertThat(r.patterns()).hasSize(2);
    }

    @Test
    void compilingAnInvalidPatternThrowsATypedException() {
        assertThatThrownBy(() -> IgnorePattern.compile("src/[ab", 7))
                .isInstanceOfSatisfying(InvalidPatternException.class, e -> {
                    assertThat(e.line()).isEqualTo(7);
                    assertThat(e.pattern()).isEqualTo("src/[ab");
                    assertThat(e.getMessage()).contains("line 7").contains("never closed");
                });
    }

    @Test
    void noRulesIgnoreNothing() {
        assertThat(IgnoreRules.NONE.isIgnored("a.tmp", FILE)).isFalse();
        assertThat(IgnoreRules.parse("").isEmpty()).isTrue();
    }
}
