package org.savesync.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.savesync.core.engine.QuicNetwork;

/** Peer-supplied addresses are IP literals; a name is refused before any lookup. */
class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:22100", "10.1.2.3:1", "255.255.255.255:65535", "[::1]:22100",
            "[2001:db8::7]:443", "[::ffff:192.0.2.1]:9"})
    void literalsParseWithoutResolving(String s) {
        InetSocketAddress a = IpLiteral.parse(s);
        assertThat(a.isUnresolved()).isFalse();
        assertThat(a.getPort()).isEqualTo(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:22100", "example.com:22100", "hub:1", "127.1:22", "127.0.0.01:22",
            "1.2.3.4.5:6", "1.2.3.256:7", "[::1%lo]:22", "[fe80::1%eth0]:22", "::1:22", "[]:1", "[::1]:0",
            "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:+80", "1.2.3.4:", ":80", "1.2.3.4", "", "[localhost]:1",
            "[::g]:1", " 1.2.3.4:5", "1.2.3.4:5 ", "١.٢.٣.٤:5", "1.2.3.4:٥"})
    void anythingElseIsRefusedWithTheTypedException(String s) {
        assertThatThrownBy(() -> IpLiteral.parse(s)).isInstanceOf(IpLiteral.NotAnIpLiteralException.class)
                .hasMessageContaining("refused the peer address");
    }

    @Test
    void theNetworkUsesItForPeerAndTicketAddresses() {
        assertThatThrownBy(() -> QuicNetwork.parsePeerAddress("localhost:22100"))
                .isInstanceOf(IpLiteral.NotAnIpLiteralException.class);
        assertThat(QuicNetwork.parsePeerAddress("127.0.0.1:22100").getPort()).isEqualTo(22100);
    }

    @Test
    void aLongHostileTextIsRefusedAndNotEchoedInFull() {
        String s = "a".repeat(10_000) + ":1";
        assertThatThrownBy(() -> IpLiteral.parse(s)).isInstanceOf(IpLiteral.NotAnIpLiteralException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }

    /**
     * Seeded mutation of valid addresses: every result is a resolved literal or the typed refusal,
     * never another exception. Replay one seed with -Dsavesync.iplit.seed=N.
     */
    @Test
    void mutatedAddressesParseOrAreRefusedWithTheTypedExceptionOnly() {
        long seed = Long.getLong("savesync.iplit.seed", new Random().nextLong());
        Random r = new Random(seed);
        List<String> seeds = List.of("127.0.0.1:22100", "[::1]:22100", "[2001:db8::1]:1", "192.168.0.10:65535");
        String alphabet = "0123456789abcdefABCDEF.:[]%-+ zx\u0000\u0660\uFF10";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(seeds.get(r.nextInt(seeds.size())));
            for (int m = 1 + r.nextInt(4); m > 0; m--) {
                int at = b.isEmpty() ? 0 : r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 1 -> { if (!b.isEmpty()) b.deleteCharAt(at); }
                    default -> { if (!b.isEmpty()) b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length()))); }
                }
            }
            String s = b.toString();
            try {
                InetSocketAddress a = IpLiteral.parse(s);
                assertThat(a.isUnresolved()).as("seed %d, input '%s'", seed, s).isFalse();
            } catch (IpLiteral.NotAnIpLiteralException expected) {
                // the typed refusal
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay with -Dsavesync.iplit.seed=" + seed
                        + "): input '" + s + "' threw " + e, e);
            }
        }
    }
}
