package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.junit.jupiter.api.Test;

class GroupIdTest {
    @TestFactory
    Stream<DynamicTest> textRoundTrips() {
        return Seeded.tries(200, g -> {
            byte[] raw = g.bytes(16);
            GroupId id = GroupId.of(raw);
            assertThat(id.toString()).hasSize(GroupId.TEXT_LENGTH).isLowerCase();
            assertThat(GroupId.parse(id.toString())).isEqualTo(id);
            assertThat(GroupId.parse(id.toString()).bytes()).isEqualTo(raw);
        });
    }

    @Test
    void knownTextForm() {
        byte[] raw = new byte[16];
        raw[15] = 1;
        assertThat(GroupId.of(raw).toString()).isEqualTo("aaaaaaaaaaaaaaaaaaaaaaaaae");
    }

    @Test
    void randomIdsDiffer() {
        assertThat(GroupId.random()).isNotEqualTo(GroupId.random());
    }

    @Test
    void refusesWrongLengthAndAlphabet() {
        assertThatThrownBy(() -> GroupId.of(new byte[15])).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> GroupId.parse("abc")).hasMessageContaining("26 base32");
        assertThatThrownBy(() -> GroupId.parse("aaaaaaaaaaaaaaaaaaaaaaaaa1")).hasMessageContaining("not base32");
    }

    @Test
    void bytesAreACopy() {
        GroupId id = GroupId.random();
        byte[] b = id.bytes();
        b[0] ^= 1;
        assertThat(id.bytes()).isNotEqualTo(b);
    }
}
