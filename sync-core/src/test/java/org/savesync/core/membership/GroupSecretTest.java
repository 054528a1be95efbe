package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GroupSecretTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] okm = GroupSecret.hkdf(HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(HEX.formatHex(okm)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void hkdfMatchesRfc5869TestCase3EmptySaltAndInfo() {
        byte[] okm = GroupSecret.hkdf(new byte[0], HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[0], 42);
        assertThat(HEX.formatHex(okm)).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void deriveUsesTheFixedSaltAndLabel() {
        byte[] key = new byte[32];
        key[0] = 7;
        GroupSecret s = GroupSecret.of(2, key);
        assertThat(s.derive("savesync/test/v1", 32))
                .isEqualTo(GroupSecret.hkdf("savesync/group-secret/v1".getBytes(), key, "savesync/test/v1".getBytes(), 32))
                .isEqualTo(GroupSecret.of(2, key).derive("savesync/test/v1", 32))
                .isNotEqualTo(s.derive("savesync/other/v1", 32));
        assertThat(s.derive("x", 100)).hasSize(100);
        assertThat(s.derive("x", 100)).startsWith(s.derive("x", 10));
    }

    @Test
    void differentSecretsDeriveDifferentKeys() {
        assertThat(GroupSecret.random(1).derive("l", 32)).isNotEqualTo(GroupSecret.random(1).derive("l", 32));
    }

    @Test
    void neverPrintsTheSecret() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0xab);
        GroupSecret s = GroupSecret.of(5, key);
        assertThat(s.toString()).contains("epoch=5").doesNotContain("ab").doesNotContain("AB").doesNotContain("q2v");
    }

    @Test
    void rotationRaisesTheEpochAndChangesTheSecret() {
        GroupSecret s = GroupSecret.random(3);
        GroupSecret next = s.rotate();
        assertThat(next.epoch()).isEqualTo(4);
        assertThat(next.bytes()).isNotEqualTo(s.bytes());
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> GroupSecret.of(-1, new byte[32])).hasMessageContaining("epoch");
        assertThatThrownBy(() -> GroupSecret.of(0, new byte[31])).hasMessageContaining("32 bytes");
        GroupSecret s = GroupSecret.random(0);
        assertThatThrownBy(() -> s.derive("", 32)).hasMessageContaining("label");
        assertThatThrownBy(() -> s.derive("l", 0)).hasMessageContaining("length");
        assertThatThrownBy(() -> s.derive("l", 255 * 32 + 1)).hasMessageContaining("length");
        assertThat(s.derive("l", 255 * 32)).hasSize(255 * 32);
    }

    @Test
    void equalityIsByEpochAndBytes() {
        byte[] key = new byte[32];
        assertThat(GroupSecret.of(1, key)).isEqualTo(GroupSecret.of(1, key)).isNotEqualTo(GroupSecret.of(2, key));
    }
}
