package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.savesync.core.replication.Fixtures.GROUP;
import static org.savesync.core.replication.Fixtures.blob;
import static org.savesync.core.replication.Fixtures.vv;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.savesync.core.testsupport.Seeded;
import org.savesync.core.testsupport.Seeded.Gen;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.replication.InvalidEntryException.Reason;
import org.junit.jupiter.api.Test;

class SignedEntryTest {
    private static final List<NodeKey> KEYS = List.of(NodeKey.generate(), NodeKey.generate(), NodeKey.generate());
    private static final NodeKey AUTHOR = KEYS.get(0);
    private static final NodeId A = AUTHOR.nodeId();
    private static final long NOW = 1_700_000_000_000L;
    private static final long HLC = Hlc.of(NOW, 0);

    private static Entry sample() {
        return Entry.file(GROUP, A, 3, SafePath.of("photos/ä b.jpg"), blob(7), 4096, 123, false, HLC, vv(A, 2, KEYS.get(1).nodeId(), 1));
    }

    @TestFactory
    Stream<DynamicTest> signParseRoundTrip() {
        return Seeded.tries(200, g -> signParseRoundTrip(entry(g)));
    }

    private static void signParseRoundTrip(Entry entry) {
        NodeKey key = KEYS.stream().filter(k -> k.nodeId().equals(entry.author())).findFirst().orElseThrow();
        SignedEntry signed = SignedEntry.sign(entry, key);
        assertThat(signed.signedBytes()).isEqualTo(entry.canonicalBytes());
        SignedEntry parsed = SignedEntry.parse(signed.signedBytes(), signed.signature());
        assertThat(parsed.entry()).isEqualTo(entry);
        assertThat(parsed.entry().canonicalBytes()).as("stable: re-encoding gives the same bytes").isEqualTo(signed.signedBytes());
        assertThat(parsed.sameContentAs(signed)).isTrue();
        assertThat(parsed).isEqualTo(signed);
    }

    @Test
    void tamperingWithAnyByteBreaksIt() {
        SignedEntry signed = SignedEntry.sign(sample(), AUTHOR);
        byte[] bytes = signed.signedBytes();
        for (int i = 0; i < bytes.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] t = bytes.clone();
                t[i] ^= (byte) bit;
                assertThatThrownBy(() -> SignedEntry.parse(t, signed.signature()))
                        .as("flipping bit %x of byte %d", bit, i)
                        .isInstanceOfAny(InvalidEntryException.class, BadSignatureException.class);
            }
        }
        byte[] sig = signed.signature();
        for (int i = 0; i < sig.length; i++) {
            byte[] s = sig.clone();
            s[i] ^= 0x01;
            BadSignatureException e = catchThrowableOfType(BadSignatureException.class, () -> SignedEntry.parse(bytes, s));
            assertThat(e).as("signature byte %d", i).isNotNull();
            assertThat(e.author()).isEqualTo(A);
            assertThat(e.seq()).isEqualTo(3);
        }
        assertThatThrownBy(() -> SignedEntry.parse(bytes, Arrays.copyOf(sig, 63))).isInstanceOf(BadSignatureException.class);
        assertThatThrownBy(() -> SignedEntry.parse(bytes, null)).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void anEntrySignedByAnotherNodeIsRefused() {
        byte[] bytes = sample().canonicalBytes();
        assertThatThrownBy(() -> SignedEntry.parse(bytes, KEYS.get(1).sign(bytes)))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("not signed by that node's key");
    }

    @Test
    void signingWithANonAuthorKeyIsRefused() {
        WrongAuthorKeyException e = catchThrowableOfType(WrongAuthorKeyException.class,
                () -> SignedEntry.sign(sample(), KEYS.get(1)));
        assertThat(e.author()).isEqualTo(A);
        assertThat(e.signer()).isEqualTo(KEYS.get(1).nodeId());
    }

    @Test
    void independentlyWrittenBytesParse() {
        byte[] bytes = new RawEntry(A).build();
        Entry e = SignedEntry.parse(bytes, AUTHOR.sign(bytes)).entry();
        assertThat(e.path()).isEqualTo(SafePath.of("a/b"));
        assertThat(e.type()).isEqualTo(EntryType.FILE);
        assertThat(e.canonicalBytes()).isEqualTo(bytes);
    }

    @Test
    void reloadingVerifiedBytesSkipsOnlyTheSignatureCheck() {
        SignedEntry signed = SignedEntry.sign(sample(), AUTHOR);
        assertThat(SignedEntry.reloadVerified(signed.signedBytes(), signed.signature())).isEqualTo(signed);
        byte[] good = signed.signedBytes();
        assertThatThrownBy(() -> SignedEntry.reloadVerified(Arrays.copyOf(good, good.length + 1), signed.signature()))
                .as("decoded as strictly as parse").isInstanceOf(InvalidEntryException.class);
        assertThatThrownBy(() -> SignedEntry.reloadVerified(good, new byte[SignedEntry.SIGNATURE_LENGTH - 1]))
                .isInstanceOf(BadSignatureException.class);
    }

    @Test
    void parsingIsStrict() {
        byte[] good = new RawEntry(A).build();
        assertThat(reason(Arrays.copyOf(good, good.length + 1))).as("trailing byte").isEqualTo(Reason.MALFORMED);
        for (int cut = 0; cut < good.length; cut++) {
            assertThat(reason(Arrays.copyOf(good, cut))).as("cut at %d", cut).isEqualTo(Reason.MALFORMED);
        }
        assertThat(reason(raw(r -> r.tag = "savesync/entry/v2"))).isEqualTo(Reason.UNSUPPORTED_FORMAT);
        assertThat(reason(raw(r -> r.type = 9))).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThat(reason(raw(r -> r.type = 0))).isEqualTo(Reason.UNKNOWN_TYPE);
        assertThat(reason(raw(r -> r.path = new byte[0]))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(raw(r -> r.path = new byte[] {'a', (byte) 0xc3}))).as("bad UTF-8").isEqualTo(Reason.MALFORMED);
        assertThat(reason(raw(r -> r.blobPresent = 2))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(raw(r -> r.executable = 2))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(raw(r -> r.targetPresent = 2))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(raw(r -> r.blobPresent = 0))).as("file without blob").isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> {
            r.targetPresent = 1;
            r.target = "t".getBytes();
        }))).as("file with a target").isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> r.type = 2))).as("directory with a blob").isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> r.seq = 0))).isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> r.seq = -1))).as("seq above 2^63").isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> r.hlc = -5))).isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> r.size = -1))).isEqualTo(Reason.INVALID_FIELD);
        NodeId low = Fixtures.id(0x00);
        NodeId high = Fixtures.id(0xff);
        assertThat(reason(raw(r -> r.vector = List.<Object[]>of(new Object[] {high, 1L}, new Object[] {A, 1L}, new Object[] {low, 1L}))))
                .isEqualTo(Reason.NOT_CANONICAL);
        assertThat(reason(raw(r -> r.vector = List.<Object[]>of(new Object[] {A, 1L}, new Object[] {A, 2L})))).isEqualTo(Reason.NOT_CANONICAL);
        assertThat(reason(raw(r -> r.vector = List.<Object[]>of(new Object[] {A, 0L})))).isEqualTo(Reason.INVALID_FIELD);
        assertThat(reason(raw(r -> r.vector = List.<Object[]>of()))).as("author not counted").isEqualTo(Reason.INVALID_FIELD);
    }

    @Test
    void unsafePathsAreRefusedWithTheRule() {
        for (String p : List.of("../x", "/etc/x", "a/../../b", "a\0b", "CON", "con.txt", "a/NUL/b", "a\\b", "a//b", "a/",
                "x/.", "trailing. ", "e\u0301", ".savesync/x")) {
            byte[] bytes = new RawEntry(A).path(p).build();
            InvalidEntryException e = catchThrowableOfType(InvalidEntryException.class, () -> SignedEntry.parse(bytes, AUTHOR.sign(bytes)));
            assertThat(e).as(p).isNotNull();
            assertThat(e.reason()).as(p).isEqualTo(Reason.UNSAFE_PATH);
            assertThat(e.getCause()).isInstanceOf(UnsafePathException.class);
            assertThat(((UnsafePathException) e.getCause()).path()).isEqualTo(p);
        }
    }

    @Test
    void admissibility() {
        NodeKey reader = KEYS.get(1);
        MemberList members = MemberList.initial(GROUP, new Member(A, "a", Role.OWNER, 0, A), 0)
                .withMember(new Member(reader.nodeId(), "r", Role.READER, 0, A), 1);
        SignedEntry ok = SignedEntry.sign(sample(), AUTHOR);
        ok.checkAdmissible(members, NOW);
        ok.checkAdmissible(members, NOW - Hlc.MAX_FUTURE_SKEW.toMillis());

        assertThat(admission(ok, members, NOW - Hlc.MAX_FUTURE_SKEW.toMillis() - 1)).isEqualTo(Reason.TOO_FAR_AHEAD);
        MemberList otherGroup = MemberList.initial(GroupId.random(), new Member(A, "a", Role.OWNER, 0, A), 0);
        assertThat(admission(ok, otherGroup, NOW)).isEqualTo(Reason.WRONG_GROUP);

        SignedEntry byReader = SignedEntry.sign(Entry.directory(GROUP, reader.nodeId(), 1, SafePath.of("d"), 0, HLC,
                vv(reader.nodeId(), 1)), reader);
        InvalidEntryException e = catchThrowableOfType(InvalidEntryException.class, () -> byReader.checkAdmissible(members, NOW));
        assertThat(e.reason()).isEqualTo(Reason.NOT_A_WRITER);
        assertThat(e.getMessage()).contains("READER");

        NodeKey stranger = KEYS.get(2);
        SignedEntry byStranger = SignedEntry.sign(Entry.directory(GROUP, stranger.nodeId(), 1, SafePath.of("d"), 0, HLC,
                vv(stranger.nodeId(), 1)), stranger);
        assertThat(admission(byStranger, members, NOW)).isEqualTo(Reason.NOT_A_WRITER);
    }

    @Test
    void sameContentAsComparesSignedBytes() {
        SignedEntry a = SignedEntry.sign(sample(), AUTHOR);
        SignedEntry b = SignedEntry.parse(a.signedBytes(), a.signature());
        assertThat(a.sameContentAs(b)).isTrue();
        Entry other = Entry.file(GROUP, A, 4, sample().path(), blob(7), 4096, 123, false, HLC, vv(A, 3));
        assertThat(a.sameContentAs(SignedEntry.sign(other, AUTHOR))).isFalse();
    }

    private static Reason admission(SignedEntry e, MemberList members, long now) {
        return catchThrowableOfType(InvalidEntryException.class, () -> e.checkAdmissible(members, now)).reason();
    }

    private static byte[] raw(java.util.function.Consumer<RawEntry> change) {
        RawEntry r = new RawEntry(A);
        change.accept(r);
        return r.build();
    }

    /** Signs with the author's key, so only the parser's strictness can refuse. */
    private static Reason reason(byte[] bytes) {
        InvalidEntryException e = catchThrowableOfType(InvalidEntryException.class, () -> SignedEntry.parse(bytes, AUTHOR.sign(bytes)));
        assertThat(e).as("must be refused").isNotNull();
        return e.reason();
    }

    /** Any entry type by one of the keys, with extreme numbers, unicode paths and targets. */
    private static Entry entry(Gen g) {
        NodeKey key = g.pick(KEYS);
        SafePath path = SafePath.of(g.pick("a", "b/c.txt", "Ünïcödé/日本.md", "x y/z", ".hidden/f"));
        long seq = g.longBetween(1, Long.MAX_VALUE);
        EntryType type = g.pick(EntryType.class);
        BlobId b = Fixtures.blob(g.intBetween(0, 255));
        long size = g.longBetween(1, Long.MAX_VALUE);
        long mtime = g.anyLong();
        String target;
        do {
            target = g.anyString(1, 40);
        } while (target.indexOf('\0') >= 0 || target.codePoints().anyMatch(c -> c >= 0xd800 && c <= 0xdfff));
        List<NodeId> extra = g.distinct(List.of(Fixtures.id(0), Fixtures.id(0x7f), Fixtures.id(0xff)), 0, 3);
        long counter = g.longBetween(1, Long.MAX_VALUE);
        boolean exec = g.bool();
        long ms = g.longBetween(1, Hlc.MAX_MILLIS);
        VersionVector v = VersionVector.EMPTY;
        for (NodeId n : extra) {
            v = v.increment(n);
        }
        v = v.merge(VersionVector.of(java.util.Map.of(key.nodeId(), counter)));
        long hlc = Hlc.of(ms, (int) (seq & 0xffff));
        return switch (type) {
            case FILE -> Entry.file(GROUP, key.nodeId(), seq, path, b, size, mtime, exec, hlc, v);
            case DIRECTORY -> Entry.directory(GROUP, key.nodeId(), seq, path, mtime, hlc, v);
            case SYMLINK -> Entry.symlink(GROUP, key.nodeId(), seq, path, target, mtime, hlc, v);
            case DELETED -> Entry.deleted(GROUP, key.nodeId(), seq, path, hlc, v);
        };
    }
}
