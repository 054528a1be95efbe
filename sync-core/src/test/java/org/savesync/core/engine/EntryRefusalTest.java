package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.core.testsupport.Manifest;

/**
 * A member that forwards forged or malformed entries: each is refused, counted under its
 * reason, and nothing is stored or written. Node 0 is the victim (and authority), node 1
 * the member whose link carries the bad entries.
 */
class EntryRefusalTest {
    @TempDir
    Path tmp;
    SimCluster c;
    SyncEngine victim;
    NodeId member;
    NodeKey memberKey;

    @BeforeEach
    void setUp() {
        c = new SimCluster(tmp, 2, 7, SimCluster.fastConfig("refusal")).formGroup();
        victim = c.engines.get(0);
        memberKey = c.keys.get(1);
        member = memberKey.nodeId();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> c.handle(0).status().peers() == 1);
    }

    @AfterEach
    void tearDown() {
        c.close();
    }

    private long now() {
        return System.currentTimeMillis();
    }

    private Entry dir(NodeId author, long seq, String path, long hlc) {
        return Entry.directory(c.group, author, seq, SafePath.of(path), 0, hlc,
                VersionVector.EMPTY.increment(author));
    }

    private void send(NodeId author, long after, long upTo, SignedRecord... records) {
        c.net.inject(member, victim.nodeId(), new Message.EntryBatch(c.group, author, after, upTo, List.of(records)));
    }

    private static SignedRecord record(SignedEntry e) {
        return new SignedRecord(e.signedBytes(), e.signature());
    }

    /** Waits until the victim counted one more refusal of {@code why}, then checks nothing was stored or written. */
    private void assertRefused(Refusal why, long before, Manifest treeBefore) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> victim.stats().refusals(why) == before + 1);
        assertThat(Manifest.of(c.folders.get(0))).isEqualTo(treeBefore);
    }

    @Test
    void badSignatureIsRefused() {
        Manifest before = Manifest.of(c.folders.get(0));
        SignedEntry e = SignedEntry.sign(dir(member, 1, "forged", Hlc.of(now(), 0)), memberKey);
        byte[] sig = e.signature();
        sig[5] ^= 1;
        long n = victim.stats().refusals(Refusal.BAD_SIGNATURE);
        send(member, 0, 1, new SignedRecord(e.signedBytes(), sig));
        assertRefused(Refusal.BAD_SIGNATURE, n, before);
        assertThat(c.handle(0).knowledge().get(member)).isZero();
    }

    @Test
    void entryOfANonMemberIsRefused() {
        Manifest before = Manifest.of(c.folders.get(0));
        NodeKey stranger = NodeKey.generate();
        SignedEntry e = SignedEntry.sign(dir(stranger.nodeId(), 1, "intruder", Hlc.of(now(), 0)), stranger);
        long n = victim.stats().refusals(Refusal.NOT_A_MEMBER);
        send(stranger.nodeId(), 0, 1, record(e));
        assertRefused(Refusal.NOT_A_MEMBER, n, before);
        assertThat(c.handle(0).knowledge().get(stranger.nodeId())).isZero();
    }

    @Test
    void entryFarInTheFutureIsRefused() {
        Manifest before = Manifest.of(c.folders.get(0));
        long future = Hlc.of(now() + Duration.ofHours(1).toMillis(), 0);
        SignedEntry e = SignedEntry.sign(dir(member, 1, "from-the-future", future), memberKey);
        long n = victim.stats().refusals(Refusal.HLC_IN_FUTURE);
        send(member, 0, 1, record(e));
        assertRefused(Refusal.HLC_IN_FUTURE, n, before);
    }

    @Test
    void secondEntryUnderTheSameSeqIsRefused() {
        SignedEntry first = SignedEntry.sign(dir(member, 1, "first", Hlc.of(now(), 0)), memberKey);
        send(member, 0, 1, record(first));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.isDirectory(c.folders.get(0).resolve("first")));
        Manifest before = Manifest.of(c.folders.get(0));
        SignedEntry second = SignedEntry.sign(dir(member, 1, "second", Hlc.of(now(), 1)), memberKey);
        long n = victim.stats().refusals(Refusal.SEQ_REUSED);
        send(member, 0, 1, record(second));
        assertRefused(Refusal.SEQ_REUSED, n, before);
        assertThat(Files.exists(c.folders.get(0).resolve("second"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/x", "a/../../b", "a\u0000b", "CON", "con.txt", "a/NUL/b", "a\\b",
            ".savesync/tmp/x", "x/./y", ""})
    void unsafePathsAreRefused(String unsafe) {
        Manifest before = Manifest.of(c.folders.get(0));
        SignedRecord forged = signedWithRawPath(unsafe);
        long unsafeBefore = victim.stats().refusals(Refusal.UNSAFE_PATH);
        long invalidBefore = victim.stats().refusals(Refusal.INVALID_ENTRY);
        send(member, 0, 1, forged);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                victim.stats().refusals(Refusal.UNSAFE_PATH) + victim.stats().refusals(Refusal.INVALID_ENTRY)
                        == unsafeBefore + invalidBefore + 1);
        if (!unsafe.isEmpty()) {
            assertThat(victim.stats().refusals(Refusal.UNSAFE_PATH)).isEqualTo(unsafeBefore + 1);
        }
        assertThat(Manifest.of(c.folders.get(0))).isEqualTo(before);
        assertThat(c.handle(0).knowledge().get(member)).isZero();
    }

    @Test
    void pathThroughASymlinkIsRefusedAndNothingIsWrittenOutside() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Entry link = Entry.symlink(c.group, member, 1, SafePath.of("link"), outside.toString(), 0,
                Hlc.of(now(), 0), VersionVector.EMPTY.increment(member));
        send(member, 0, 1, record(SignedEntry.sign(link, memberKey)));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.isSymbolicLink(c.folders.get(0).resolve("link")));
        Manifest before = Manifest.of(c.folders.get(0));
        Entry through = Entry.file(c.group, member, 2, SafePath.of("link/escaped.txt"), BlobId.EMPTY, 0, 0, false,
                Hlc.of(now(), 1), VersionVector.EMPTY.increment(member));
        long n = victim.stats().refusals(Refusal.PATH_THROUGH_SYMLINK);
        send(member, 1, 2, record(SignedEntry.sign(through, memberKey)));
        assertRefused(Refusal.PATH_THROUGH_SYMLINK, n, before);
        try (var s = Files.list(outside)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    /**
     * An entry whose signed bytes carry a path that {@link SafePath} would never build: made
     * from a valid entry with a placeholder path of the same UTF-8 length, then re-signed.
     */
    private SignedRecord signedWithRawPath(String rawPath) {
        byte[] raw = rawPath.getBytes(StandardCharsets.UTF_8);
        String placeholder = "qzj".repeat(Math.max(1, raw.length)).substring(0, Math.max(1, raw.length));
        byte[] bytes = dir(member, 1, placeholder, Hlc.of(now(), 0)).canonicalBytes();
        byte[] ph = placeholder.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, ph);
        assertThat(at).isPositive();
        byte[] out;
        if (raw.length == ph.length) {
            out = bytes.clone();
            System.arraycopy(raw, 0, out, at, raw.length);
        } else { // the empty path: drop the placeholder and write length 0
            out = new byte[bytes.length - ph.length];
            System.arraycopy(bytes, 0, out, 0, at);
            System.arraycopy(bytes, at + ph.length, out, at, bytes.length - at - ph.length);
            out[at - 2] = 0;
            out[at - 1] = 0;
        }
        return new SignedRecord(out, memberKey.sign(out));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aValidEntryFromTheSameMemberIsAccepted() {
        // The control case: the same path through the same link is stored and materialised.
        SignedEntry e = SignedEntry.sign(dir(member, 1, "fine", Hlc.of(now(), 0)), memberKey);
        send(member, 0, 1, record(e));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.isDirectory(c.folders.get(0).resolve("fine")));
        assertThat(c.handle(0).knowledge().get(member)).isEqualTo(1);
        assertThat(victim.stats().refusalsTotal()).isZero();
    }
}
