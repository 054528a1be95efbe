package org.savesync.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTokenTest {
    @TempDir
    Path tmp;

    @Test
    void firstStartMakesAnOwnerOnlyTokenOfAtLeast128BitsInAnOwnerOnlyDirectory() throws Exception {
        Path dir = tmp.resolve("hub");
        EnrollmentToken token = EnrollmentToken.loadOrCreate(dir);

        Path f = dir.resolve(EnrollmentToken.FILE);
        assertThat(token.file()).isEqualTo(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        String value = Files.readString(f).strip();
        assertThat(value).matches("[a-z2-7]+").hasSizeGreaterThanOrEqualTo(26); // 26 base32 chars = 130 bits
        assertThat(token.matches(value)).isTrue();
        assertThat(token.toString()).doesNotContain(value);
    }

    @Test
    void theTokenIsMadeOnceAndSurvivesRestarts() throws Exception {
        EnrollmentToken first = EnrollmentToken.loadOrCreate(tmp);
        String value = Files.readString(tmp.resolve(EnrollmentToken.FILE));

        EnrollmentToken second = EnrollmentToken.loadOrCreate(tmp);

        assertThat(Files.readString(tmp.resolve(EnrollmentToken.FILE))).isEqualTo(value);
        assertThat(second.matches(value)).isTrue();
        assertThat(first.matches(value)).isTrue();
        assertThat(Files.list(tmp)).hasSize(1);
    }

    @Test
    void twoHubsMakeDifferentTokens() throws Exception {
        EnrollmentToken.loadOrCreate(tmp.resolve("a"));
        EnrollmentToken b = EnrollmentToken.loadOrCreate(tmp.resolve("b"));
        assertThat(b.matches(Files.readString(tmp.resolve("a").resolve(EnrollmentToken.FILE)))).isFalse();
    }

    @Test
    void matchingIgnoresBlanksAndCaseButNothingElse() throws Exception {
        EnrollmentToken token = EnrollmentToken.loadOrCreate(tmp);
        String value = Files.readString(tmp.resolve(EnrollmentToken.FILE)).strip();

        assertThat(token.matches("  " + value.toUpperCase() + "\n")).isTrue();
        assertThat(token.matches(value.substring(1))).isFalse();
        assertThat(token.matches(value + "a")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void aTokenOthersCanReadIsRefusedWithTheFix() throws Exception {
        EnrollmentToken.loadOrCreate(tmp);
        Path f = tmp.resolve(EnrollmentToken.FILE);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> EnrollmentToken.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void anEmptyTokenFileIsRefusedAndNotReplaced() throws Exception {
        Path f = tmp.resolve(EnrollmentToken.FILE);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertThatThrownBy(() -> EnrollmentToken.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty").hasMessageContaining("delete it");
        assertThat(Files.size(f)).isZero();
    }
}
