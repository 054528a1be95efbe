package org.savesync.core.fuzz;

import static org.savesync.core.fuzz.ParserTarget.AllocationBound.linear;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.identity.NodeId;
import org.savesync.core.ignore.IgnoreRules;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.membership.InvalidTicketException;
import org.savesync.core.membership.InviteToken;
import org.savesync.core.membership.Ticket;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.UnsafePathException;

/**
 * Parsers of text a user pastes or types, or a peer sends as a string: tickets, invite tokens,
 * node and group ids, hub addresses, paths, content ids, ignore files. The input's first byte
 * says how to read the rest: even as UTF-8, odd as UTF-16BE (which reaches lone surrogates and
 * every other char UTF-8 cannot carry). Ids must come back in their canonical text exactly as
 * given apart from ASCII letter case: anything else accepted is a silent mis-parse.
 */
final class TextTargets {
    /** Text parsers copy, split and case-fold their input a few times, at 2 bytes per char. */
    private static final ParserTarget.AllocationBound BOUND = linear(64, 64 * 1024);

    private TextTargets() {
    }

    static ParserTarget ticket() {
        return target(7, "Ticket.parse", InvalidTicketException.class, s -> {
            Ticket t = Ticket.parse(s);
            Ticket again = reparse(() -> Ticket.parse(t.text()));
            Structural.assertEqual(t, again);
            String typed = s.replaceAll("\\s+", "");
            if (!t.text().equals(asciiLower(typed))) {
                throw new AssertionError("read '" + typed + "' as the ticket '" + t.text() + "'");
            }
        }, List.of(sampleTicket().text(), sampleTicket().text().toUpperCase(), " " + sampleTicket().text().substring(0, 40)
                + "\n  " + sampleTicket().text().substring(40) + "\n"));
    }

    static ParserTarget inviteToken() {
        InviteToken sample = InviteToken.of("twenty-four token bytes!".getBytes(StandardCharsets.US_ASCII));
        return target(8, "InviteToken.parse", IllegalArgumentException.class,
                s -> canonical(s, InviteToken.parse(s).text()), List.of(sample.text()));
    }

    static ParserTarget nodeId() {
        return target(9, "NodeId.parse", IllegalArgumentException.class,
                s -> canonical(s, NodeId.parse(s).toString()), List.of(FixedKey.AUTHORITY.id().toString()));
    }

    static ParserTarget groupId() {
        return target(10, "GroupId.parse", IllegalArgumentException.class,
                s -> canonical(s, GroupId.parse(s).toString()), List.of(Samples.GROUP.toString()));
    }

    static ParserTarget hubAddress() {
        return target(11, "HubAddress.parse", IllegalArgumentException.class, s -> {
            HubAddress h = HubAddress.parse(s);
            Structural.assertEqual(h, reparse(() -> HubAddress.parse(h.toString())));
        }, List.of("127.0.0.1:22080#" + FixedKey.HUB.id(), " [2001:db8::1]:7000#" + FixedKey.HUB.id() + "\n",
                "hub.example:1#" + FixedKey.HUB.id()));
    }

    /** {@link SafePath#of}: an accepted path must stay strictly inside any folder it is resolved in. */
    static ParserTarget safePath() {
        Path root = Path.of("/srv/folder");
        return target(12, "SafePath.of", UnsafePathException.class, s -> {
            SafePath p = SafePath.of(s);
            Path on = reparse(() -> p.resolveIn(root));
            if (!on.normalize().startsWith(root) || on.normalize().equals(root) || !p.toString().equals(s)) {
                throw new AssertionError("path '" + s + "' resolves to " + on);
            }
        }, List.of("docs/report ü.txt", "a/b/c", "ファイル/x.tar.gz"));
    }

    /** Hex chunk and blob ids, as the hub's admin API takes them. */
    static ParserTarget contentId() {
        return target(13, "ChunkHash.parse", IllegalArgumentException.class, s -> {
            String hash = ChunkHash.parse(s).toString();
            canonical(s, hash);
            canonical(s, BlobId.parse(s).toString());
        }, List.of(Samples.HASH.toString(), Samples.BLOB.toString().toUpperCase()));
    }

    /** A folder's {@code .savesyncignore}: never refuses (bad lines become problems), never hangs when matching. */
    static ParserTarget ignoreRules() {
        // Each line compiles to a pattern of its own (about 5 KiB for a short line), and the file is
        // the user's own (IgnoreFile reads at most 1 MiB of it): the bound only catches blow-ups.
        return new ParserTarget(14, "IgnoreRules.parse", List.of(), linear(2048, 64 * 1024), input -> {
            String s = text(input);
            IgnoreRules rules = IgnoreRules.parse(s);
            List<String> paths = new ArrayList<>(List.of("a", "a/b/c.txt", "build/out/x.o", ".git/HEAD"));
            for (String line : s.split("\n", 8)) {
                try {
                    paths.add(SafePath.of(line.strip()).toString());
                } catch (UnsafePathException e) {
                    // not a path: only the fixed ones are matched
                }
            }
            for (String p : paths) {
                rules.isIgnored(p, false);
                rules.isIgnored(p, true);
            }
        }, () -> utf8Seeds(List.of("# comment\n*.o\n!keep.o\nbuild/\n/top\n**/cache/**\n[a-c]?.txt\n\\#literal\n")));
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface TextBody {
        void parse(String s) throws Exception;
    }

    @FunctionalInterface
    private interface Step<T> {
        T get() throws Exception;
    }

    private static ParserTarget target(int id, String name, Class<? extends Throwable> refusal, TextBody body,
                                       List<String> seeds) {
        return new ParserTarget(id, name, List.of(refusal), BOUND, input -> body.parse(text(input)), () -> utf8Seeds(seeds));
    }

    /** Runs a step of the round trip: any exception there means the parser accepted what it cannot read back. */
    private static <T> T reparse(Step<T> step) {
        try {
            return step.get();
        } catch (Exception e) {
            throw new AssertionError("accepted, but its own output is refused: " + e, e);
        }
    }

    private static void canonical(String typed, String canonical) {
        if (!canonical.equals(asciiLower(typed))) {
            throw new AssertionError("read '" + typed + "' as '" + canonical + "'");
        }
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().forEach(c -> b.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
        return b.toString();
    }

    static String text(byte[] input) {
        if (input.length == 0) {
            return "";
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        if ((input[0] & 1) == 0) {
            return new String(rest, StandardCharsets.UTF_8);
        }
        // Char by char, not through a UTF-16 decoder: that would replace lone surrogates.
        char[] chars = new char[rest.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ((rest[2 * i] & 0xff) << 8 | rest[2 * i + 1] & 0xff);
        }
        return new String(chars);
    }

    private static List<byte[]> utf8Seeds(List<String> texts) {
        return texts.stream().map(t -> {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            byte[] in = new byte[b.length + 1];
            System.arraycopy(b, 0, in, 1, b.length);
            return in;
        }).toList();
    }

    private static Ticket sampleTicket() {
        InviteToken token = InviteToken.of("twenty-four token bytes!".getBytes(StandardCharsets.US_ASCII));
        return new Ticket(Samples.GROUP, "photos ü", FixedKey.HUB.id(), List.of("127.0.0.1:22100", "[2001:db8::1]:7000"),
                token, Samples.T0);
    }
}
