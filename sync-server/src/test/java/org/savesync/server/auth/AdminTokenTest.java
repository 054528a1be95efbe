package org.savesync.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path tmp;

    @Test
    void firstStartMakesAnOwnerOnly256BitBase64urlTokenInAnOwnerOnlyDirectory() throws Exception {
        Path dir = tmp.resolve("hub");
        AdminToken token = AdminToken.loadOrCreate(dir);

        Path f = dir.resolve(AdminToken.FILE);
        assertThat(token.file()).isEqualTo(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        String value = Files.readString(f).strip();
        assertThat(value).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(value)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(token.matches(value)).isTrue();
        assertThat(token.toString()).doesNotContain(value);
        assertThat(Files.list(dir)).as("no temporary file left").containsExactly(f);
    }

    @Test
    void theTokenIsMadeOnceAndReusedOnRestart() throws Exception {
        AdminToken.loadOrCreate(tmp);
        String value = Files.readString(tmp.resolve(AdminToken.FILE));

        AdminToken again = AdminToken.loadOrCreate(tmp);

        assertThat(Files.readString(tmp.resolve(AdminToken.FILE))).isEqualTo(value);
        assertThat(again.matches(value.strip())).isTrue();
        assertThat(AdminToken.loadOrCreate(tmp.resolve("other")).matches(value.strip())).as("another hub's").isFalse();
    }

    @Test
    void onlyTheExactTokenMatches() throws Exception {
        AdminToken token = AdminToken.loadOrCreate(tmp);
        String value = Files.readString(tmp.resolve(AdminToken.FILE)).strip();

        assertThat(token.matches(value.substring(1))).isFalse();
        assertThat(token.matches(value + "a")).isFalse();
        assertThat(token.matches(value.toUpperCase())).as("base64url is case-sensitive").isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.matches("x".repeat(AdminToken.MAX_CANDIDATE + 1))).isFalse();
    }

    @Test
    void aTokenFileOthersCanReadIsRefusedWithWhatToDo() throws Exception {
        AdminToken.loadOrCreate(tmp);
        Path f = tmp.resolve(AdminToken.FILE);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> AdminToken.loadOrCreate(tmp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open to other users").hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void anEmptyTokenFileIsRefused() throws Exception {
        Files.createFile(tmp.resolve(AdminToken.FILE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertThatThrownBy(() -> AdminToken.loadOrCreate(tmp)).hasMessageContaining("is empty");
    }
}
