package org.savesync.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.replication.Fixtures.GROUP;
import static org.savesync.core.replication.Fixtures.blob;
import static org.savesync.core.replication.Fixtures.id;
import static org.savesync.core.replication.Fixtures.vv;

import java.util.HexFormat;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.junit.jupiter.api.Test;

class EntryTest {
    private static final NodeId A = id(0x11);
    private static final NodeId B = id(0x22);
    private static final SafePath P = SafePath.of("docs/résumé.txt");
    private static final long HLC = Hlc.of(1_700_000_000_123L, 5);

    /**
     * The layout pinned: computed independently (Python struct) from Entry's javadoc. If this
     * fails, the signed layout changed and every stored signature breaks: bump the domain tag.
     */
    @Test
    void canonicalBytesOfAFixedEntryArePinned() {
        Entry e = Entry.file(GROUP, A, 7, P, blob(0xbb), 1234, 1_700_000_000_123_456_789L, true, HLC, vv(A, 3, B, 1));
        String expected = "7361766573796e632f656e7472792f763100" // "savesync/entry/v1\0"
                + "000102030405060708090a0b0c0d0e0f" // group
                + "11".repeat(32) // author
                + "0000000000000007" // seq
                + "0011" + "646f63732f72c3a973756dc3a92e747874" // path "docs/résumé.txt" (17 bytes)
                + "01" // FILE
                + "01" + "bb".repeat(32) // blob present + id
                + "00000000000004d2" // size 1234
                + "17979cfe3d85cd15" // mtime ns
                + "01" // executable
                + "00" // no symlink target
                + "018bcfe5687b0005" // hlc
                + "0002" + "11".repeat(32) + "0000000000000003" + "22".repeat(32) + "0000000000000001"; // vv
        assertThat(HexFormat.of().formatHex(e.canonicalBytes())).isEqualTo(expected);
        assertThat(e.canonicalBytes()).isEqualTo(e.canonicalBytes());
    }

    @Test
    void symlinkAndDeletedLayouts() {
        Entry link = Entry.symlink(GROUP, A, 1, SafePath.of("l"), "../t", -1, HLC, vv(A, 1));
        String hex = HexFormat.of().formatHex(link.canonicalBytes());
        assertThat(hex).contains("0001" + "6c" + "03" + "00" + "0000000000000000" + "ffffffffffffffff" + "00" + "01" + "0004" + "2e2e2f74");
        Entry del = Entry.deleted(GROUP, A, 2, SafePath.of("l"), HLC, vv(A, 2));
        assertThat(HexFormat.of().formatHex(del.canonicalBytes()))
                .contains("0001" + "6c" + "04" + "00" + "0000000000000000" + "0000000000000000" + "00" + "00" + "018bcfe5687b0005");
    }

    @Test
    void typeDependentFieldsAreValidated() {
        VersionVector v = vv(A, 1);
        SafePath p = SafePath.of("x");
        assertThatThrownBy(() -> new Entry(GROUP, A, 1, p, EntryType.FILE, null, 0, 0, false, null, HLC, v))
                .hasMessageContaining("needs a blob id");
        assertThatThrownBy(() -> Entry.file(GROUP, A, 1, p, BlobId.EMPTY, 5, 0, false, HLC, v)).hasMessageContaining("disagree");
        assertThatThrownBy(() -> Entry.file(GROUP, A, 1, p, blob(1), 0, 0, false, HLC, v)).hasMessageContaining("disagree");
        assertThatThrownBy(() -> Entry.file(GROUP, A, 1, p, blob(1), -1, 0, false, HLC, v)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new Entry(GROUP, A, 1, p, EntryType.FILE, blob(1), 1, 0, false, "t", HLC, v))
                .hasMessageContaining("only a SYMLINK");
        assertThatThrownBy(() -> new Entry(GROUP, A, 1, p, EntryType.DIRECTORY, blob(1), 0, 0, false, null, HLC, v))
                .hasMessageContaining("no blob");
        assertThatThrownBy(() -> new Entry(GROUP, A, 1, p, EntryType.DELETED, null, 3, 0, false, null, HLC, v))
                .hasMessageContaining("size 0");
        assertThatThrownBy(() -> new Entry(GROUP, A, 1, p, EntryType.DIRECTORY, null, 0, 0, true, null, HLC, v))
                .hasMessageContaining("executable");
        assertThatThrownBy(() -> Entry.symlink(GROUP, A, 1, p, "", 0, HLC, v)).hasMessageContaining("non-empty target");
        assertThatThrownBy(() -> Entry.symlink(GROUP, A, 1, p, null, 0, HLC, v)).hasMessageContaining("non-empty target");
        assertThatThrownBy(() -> Entry.symlink(GROUP, A, 1, p, "a\0b", 0, HLC, v)).hasMessageContaining("NUL");
        assertThatThrownBy(() -> Entry.symlink(GROUP, A, 1, p, "x".repeat(4097), 0, HLC, v)).hasMessageContaining("4096");
        assertThat(Entry.symlink(GROUP, A, 1, p, "/abs/" + "x".repeat(4091), 0, HLC, v).symlinkTarget()).hasSize(4096);
        assertThatThrownBy(() -> Entry.directory(GROUP, A, 0, p, 0, HLC, v)).hasMessageContaining("seq");
        assertThatThrownBy(() -> Entry.directory(GROUP, A, 1, p, 0, 0, v)).hasMessageContaining("hlc");
        assertThatThrownBy(() -> Entry.directory(GROUP, A, 1, p, 0, HLC, vv(B, 1))).hasMessageContaining("must count the author");
        assertThatThrownBy(() -> Entry.directory(GROUP, A, 1, p, 0, HLC, VersionVector.EMPTY)).hasMessageContaining("author");
        assertThat(Entry.file(GROUP, A, 1, p, BlobId.EMPTY, 0, 0, true, HLC, v).size()).isZero();
    }

    @Test
    void sameContentIgnoresAuthorTimeAndVersion() {
        Entry a = Entry.file(GROUP, A, 1, P, blob(1), 10, 111, false, HLC, vv(A, 1));
        Entry b = Entry.file(GROUP, B, 9, P, blob(1), 10, 222, false, HLC + 5, vv(B, 4));
        assertThat(a.sameContent(b)).isTrue();
        assertThat(a.sameContent(Entry.file(GROUP, B, 9, P, blob(2), 10, 111, false, HLC, vv(B, 1)))).isFalse();
        assertThat(a.sameContent(Entry.file(GROUP, B, 9, P, blob(1), 10, 111, true, HLC, vv(B, 1)))).isFalse();
        Entry l1 = Entry.symlink(GROUP, A, 1, P, "t1", 0, HLC, vv(A, 1));
        assertThat(l1.sameContent(Entry.symlink(GROUP, B, 1, P, "t1", 5, HLC, vv(B, 1)))).isTrue();
        assertThat(l1.sameContent(Entry.symlink(GROUP, B, 1, P, "t2", 5, HLC, vv(B, 1)))).isFalse();
        assertThat(Entry.directory(GROUP, A, 1, P, 0, HLC, vv(A, 1)).sameContent(Entry.directory(GROUP, B, 1, P, 9, HLC, vv(B, 1))))
                .isTrue();
        assertThat(Entry.deleted(GROUP, A, 1, P, HLC, vv(A, 1)).sameContent(Entry.directory(GROUP, B, 1, P, 9, HLC, vv(B, 1))))
                .isFalse();
    }
}
