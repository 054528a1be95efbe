package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.savesync.core.identity.NodeId;
import org.junit.jupiter.api.Test;

class ConflictNamesTest {
    /** 2024-05-01T12:34:56.789Z, counter 3. */
    private static final long HLC = Hlc.of(Instant.parse("2024-05-01T12:34:56.789Z").toEpochMilli(), 3);
    private static final NodeId LOSER = Fixtures.id(0x11); // base32 "ceirceir..."

    private static String copy(String path) {
        return ConflictNames.conflictCopyPath(SafePath.of(path), HLC, LOSER).toString();
    }

    @Test
    void namesFollowTheSyncthingShape() {
        assertThat(LOSER.shortId(7)).isEqualTo("ceircei");
        assertThat(copy("report.pdf")).isEqualTo("report.sync-conflict-20240501-123456-ceircei.pdf");
        assertThat(copy("a.tar.gz")).isEqualTo("a.tar.sync-conflict-20240501-123456-ceircei.gz");
        assertThat(copy(".bashrc")).isEqualTo(".bashrc.sync-conflict-20240501-123456-ceircei");
        assertThat(copy("Makefile")).isEqualTo("Makefile.sync-conflict-20240501-123456-ceircei");
        assertThat(copy("docs/x/notes.md")).isEqualTo("docs/x/notes.sync-conflict-20240501-123456-ceircei.md");
        assertThat(copy("..hidden")).isEqualTo("..sync-conflict-20240501-123456-ceircei.hidden");
    }

    @Test
    void timeIsTheLosersHlcInUtc() {
        long newYear = Hlc.of(Instant.parse("1999-12-31T23:59:59.999Z").toEpochMilli(), 65535);
        assertThat(ConflictNames.conflictCopyPath(SafePath.of("a.txt"), newYear, Fixtures.id(0)).toString())
                .isEqualTo("a.sync-conflict-19991231-235959-aaaaaaa.txt");
    }

    @Test
    void recognisesConflictCopies() {
        assertThat(ConflictNames.isConflictCopy(SafePath.of(copy("a/report.pdf")))).isTrue();
        assertThat(ConflictNames.isConflictCopy(SafePath.of(copy("Makefile")))).isTrue();
        assertThat(ConflictNames.isConflictCopy(SafePath.of("report.pdf"))).isFalse();
        assertThat(ConflictNames.isConflictCopy(SafePath.of("a.sync-conflict-2024-x.pdf"))).isFalse();
        assertThat(ConflictNames.isConflictCopy(SafePath.of("a.sync-conflict-20240501-123456-ceirce1.pdf"))).isFalse();
        assertThat(ConflictNames.isConflictCopy(SafePath.of("a.sync-conflict-20240501-123456-ceircei/x.pdf"))).isFalse();
    }

    @Test
    void longNamesAreShortenedToFit() {
        String name = "é".repeat(120) + ".txt"; // 244 bytes
        SafePath p = ConflictNames.conflictCopyPath(SafePath.of(name), HLC, LOSER);
        assertThat(p.name().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(p.name()).startsWith("é".repeat(10)).endsWith("-ceircei.txt");
        assertThat(ConflictNames.isConflictCopy(p)).isTrue();

        String longExt = "a." + "x".repeat(250);
        SafePath q = ConflictNames.conflictCopyPath(SafePath.of(longExt), HLC, LOSER);
        assertThat(q.name()).hasSizeLessThanOrEqualTo(255).startsWith("a.xxx").endsWith("-ceircei");

        String emoji = "\uD83D\uDE00".repeat(60) + ".txt"; // 4-byte characters, never split
        SafePath r = ConflictNames.conflictCopyPath(SafePath.of(emoji), HLC, LOSER);
        assertThat(r.name().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(r.name()).endsWith(".txt");
    }

    @TestFactory
    Stream<DynamicTest> alwaysASafePathInTheSameDirectory() {
        return Seeded.tries(300, g -> alwaysASafePathInTheSameDirectory(
                g.string("abc.XYZé漢 -_\uD83D\uDE00", 1, 100), g.longBetween(0, Hlc.MAX_MILLIS)));
    }

    private static void alwaysASafePathInTheSameDirectory(String name, long millis) {
        SafePath original;
        try {
            original = SafePath.of("dir/" + name);
        } catch (UnsafePathException e) {
            return;
        }
        SafePath copy = ConflictNames.conflictCopyPath(original, Hlc.of(millis, 0), LOSER);
        assertThat(copy.parent()).isEqualTo(original.parent());
        assertThat(copy).isNotEqualTo(original);
        assertThat(ConflictNames.isConflictCopy(copy)).isTrue();
        assertThat(ConflictNames.conflictCopyPath(original, Hlc.of(millis, 0), LOSER)).isEqualTo(copy);
    }
}
