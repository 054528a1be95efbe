package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.savesync.core.testsupport.Seeded.Gen;
import org.savesync.core.identity.Base32;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.InvalidTicketException.Reason;
import org.junit.jupiter.api.Test;

class TicketTest {
    /** Computed independently of this code (Python: base64.b32encode, zlib.crc32) from the layout in Ticket's javadoc. */
    static final String GOLDEN = "savesync1aeaacaqdaqcqmbyibefawdanbyhrceirceirceirceirceirceirceirceirceirceirceirceircelem"
            + "vtgo2djnjvwy3lon5yhc4ttor2xm53ypf5hwaaaagrrqxcqaadfa2dporxxgaqunb2weltfpbqw24dmmuxg64thhi3tinbtcjntembqge5g"
            + "iyryhi5dcxj2g42dim277gez6";

    static Ticket golden() {
        byte[] group = new byte[16];
        byte[] token = new byte[24];
        for (int i = 0; i < 16; i++) {
            group[i] = (byte) i;
        }
        for (int i = 0; i < 24; i++) {
            token[i] = (byte) (100 + i);
        }
        return new Ticket(GroupId.of(group), "Photos", MemberListTest.fixedId(0x11),
                List.of("hub.example.org:7443", "[2001:db8::1]:7443"), InviteToken.of(token), 1_800_000_000_000L);
    }

    @Test
    void textMatchesTheWrittenLayout() {
        assertThat(golden().text()).isEqualTo(GOLDEN);
        assertThat(Ticket.parse(GOLDEN)).isEqualTo(golden());
    }

    @TestFactory
    Stream<DynamicTest> roundTrips() {
        return Seeded.tries(200, g -> {
            Ticket ticket = ticket(g);
            String text = ticket.text();
            assertThat(text).startsWith("savesync1").matches("[a-z2-7]+1[a-z2-7]+");
            assertThat(Ticket.parse(text)).isEqualTo(ticket);
        });
    }

    @Test
    void toleratesWhitespaceAndUpperCase() {
        String wrapped = GOLDEN.substring(0, 60) + "\n  " + GOLDEN.substring(60, 120) + "\r\n" + GOLDEN.substring(120) + " ";
        assertThat(Ticket.parse(wrapped)).isEqualTo(golden());
        assertThat(Ticket.parse(GOLDEN.toUpperCase())).isEqualTo(golden());
    }

    @Test
    void everySingleCharacterTypoIsCaught() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (int i = Ticket.PREFIX.length(); i < GOLDEN.length(); i++) {
            for (int k = 0; k < alphabet.length(); k += 7) {
                char c = alphabet.charAt((alphabet.indexOf(GOLDEN.charAt(i)) + 1 + k) % 32);
                String typo = GOLDEN.substring(0, i) + c + GOLDEN.substring(i + 1);
                InvalidTicketException e = catchThrowableOfType(InvalidTicketException.class, () -> Ticket.parse(typo));
                assertThat(e).as("typo at %d", i).isNotNull();
                assertThat(e.reason()).isEqualTo(Reason.MISTYPED);
                assertThat(e.getMessage()).contains("the ticket was mistyped or truncated");
            }
        }
    }

    @Test
    void swappedNeighboursAndTruncationAreCaught() {
        for (int i = Ticket.PREFIX.length(); i + 1 < GOLDEN.length(); i++) {
            if (GOLDEN.charAt(i) == GOLDEN.charAt(i + 1)) {
                continue;
            }
            String swapped = GOLDEN.substring(0, i) + GOLDEN.charAt(i + 1) + GOLDEN.charAt(i) + GOLDEN.substring(i + 2);
            assertThat(reason(swapped)).as("swap at %d", i).isEqualTo(Reason.MISTYPED);
        }
        for (int len = Ticket.PREFIX.length(); len < GOLDEN.length(); len++) {
            assertThat(reason(GOLDEN.substring(0, len))).as("cut to %d", len).isEqualTo(Reason.MISTYPED);
        }
        assertThat(reason(GOLDEN + "a")).isEqualTo(Reason.MISTYPED);
        assertThat(reason(GOLDEN.substring(0, 50) + "1" + GOLDEN.substring(51))).isEqualTo(Reason.MISTYPED);
    }

    @Test
    void refusesOtherPrefixes() {
        InvalidTicketException e = catchThrowableOfType(InvalidTicketException.class,
                () -> Ticket.parse("savesync2" + GOLDEN.substring(9)));
        assertThat(e.reason()).isEqualTo(Reason.BAD_PREFIX);
        assertThat(e.getMessage()).contains("savesync1");
        assertThat(reason("")).isEqualTo(Reason.BAD_PREFIX);
        assertThat(reason(null)).isEqualTo(Reason.BAD_PREFIX);
    }

    @Test
    void refusesAnUnknownLayoutVersionWithAValidChecksum() {
        byte[] payload = payload();
        payload[0] = 2;
        InvalidTicketException e = catchThrowableOfType(InvalidTicketException.class, () -> Ticket.parse(encode(payload)));
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
        assertThat(e.getMessage()).contains("upgrade");
    }

    @Test
    void refusesBadFieldsWithAValidChecksum() {
        byte[] p = payload();
        assertThat(reason(encode(Arrays.copyOf(p, p.length + 1)))).as("trailing byte").isEqualTo(Reason.BAD_FIELD);
        assertThat(reason(encode(Arrays.copyOf(p, p.length - 1)))).as("short").isEqualTo(Reason.BAD_FIELD);
        int addressCount = 1 + 16 + 32 + 24 + 8 + 1 + "Photos".length();
        byte[] noAddress = Arrays.copyOf(p, addressCount + 1);
        noAddress[addressCount] = 0;
        assertThat(reason(encode(noAddress))).as("no address").isEqualTo(Reason.BAD_FIELD);
        byte[] badAddress = p.clone();
        badAddress[addressCount + 2] = ' ';
        assertThat(reason(encode(badAddress))).as("space in an address").isEqualTo(Reason.BAD_FIELD);
    }

    @Test
    void validatesAddresses() {
        Ticket t = golden();
        for (String ok : List.of("10.0.0.1:7443", "hub.example.org:1", "[::1]:65535", "localhost:80")) {
            assertThat(new Ticket(t.group(), t.groupName(), t.authority(), List.of(ok), t.token(), 1).addresses())
                    .containsExactly(ok);
        }
        for (String bad : List.of("host", "host:", ":80", "host:0", "host:65536", "host:080", "::1:80", "a b:80",
                "http://h:80", "[]:80")) {
            assertThatThrownBy(() -> new Ticket(t.group(), t.groupName(), t.authority(), List.of(bad), t.token(), 1))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Ticket(t.group(), t.groupName(), t.authority(), List.of(), t.token(), 1))
                .hasMessageContaining("1..16 addresses");
    }

    @Test
    void carriesNoLongTermSecretAndKnowsItsExpiry() {
        Ticket t = golden();
        assertThat(t.isExpired(1_800_000_000_000L - 1)).isFalse();
        assertThat(t.isExpired(1_800_000_000_000L)).isTrue();
        assertThat(t.toString()).doesNotContain(t.token().text());
        Invite invite = new Invite(t.token().id(), t.group(), Role.MEMBER, 1, 0, 0, 5, "node " + t.authority());
        assertThat(Ticket.forInvite(new InviteRegistry.Issued(t.token(), invite), "g", t.authority(), t.addresses())
                .token()).isEqualTo(t.token());
    }

    static Ticket ticket(Gen g) {
        String name;
        do {
            name = g.string("abcdefghijklmnopqrstuvwxyzéß 漢", 1, 60);
        } while (name.isBlank());
        List<String> addresses = g.list(1, 16,
                a -> a.pick("hub.example.org", "10.0.0.7", "[fe80::1]", "a") + ":" + a.intBetween(1, 65535));
        return new Ticket(GroupId.of(g.bytes(16)), name, NodeId.of(g.bytes(32)), addresses, InviteToken.of(g.bytes(24)),
                g.longBetween(1, Long.MAX_VALUE));
    }

    private static Reason reason(String text) {
        InvalidTicketException e = catchThrowableOfType(InvalidTicketException.class, () -> Ticket.parse(text));
        assertThat(e).as("parse(%s) must fail", text).isNotNull();
        return e.reason();
    }

    /** The golden ticket's payload, without prefix and checksum. */
    private static byte[] payload() {
        byte[] all = Base32.decode(GOLDEN.substring(Ticket.PREFIX.length()));
        return Arrays.copyOf(all, all.length - 4);
    }

    private static String encode(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        byte[] all = ByteBuffer.allocate(payload.length + 4).put(payload).putInt((int) crc.getValue()).array();
        return "savesync1" + Base32.encode(all);
    }
}
