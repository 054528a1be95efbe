package org.savesync.core.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Handover;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.VersionVector;

/** Valid values made by the real constructors and encoders: the raw material of every seed. */
final class Samples {
    static final GroupId GROUP = GroupId.of("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final long T0 = 1_700_000_000_000L;
    static final byte[] CHUNK = "some chunk bytes".getBytes(StandardCharsets.US_ASCII);
    static final ChunkHash HASH = ChunkHash.compute(CHUNK);
    static final BlobId BLOB = BlobId.of(List.of(new ChunkRef(CHUNK.length, HASH)));

    private Samples() {
    }

    static MemberList memberList() {
        Member owner = new Member(FixedKey.AUTHORITY.id(), "laptop", Role.OWNER, T0, FixedKey.AUTHORITY.id());
        Member member = new Member(FixedKey.MEMBER.id(), "desktop ü", Role.MEMBER, T0 + 1, FixedKey.AUTHORITY.id());
        Member reader = new Member(FixedKey.HUB.id(), "hub", Role.HUB, T0 + 2, FixedKey.AUTHORITY.id());
        return new MemberList(GROUP, 3, FixedKey.AUTHORITY.id(), T0 + 3, List.of(owner, member, reader));
    }

    static MemberList initialList() {
        return MemberList.initial(GROUP, new Member(FixedKey.AUTHORITY.id(), "a", Role.OWNER, 0, FixedKey.AUTHORITY.id()), 0);
    }

    static SignedRecord signedList() {
        byte[] b = memberList().canonicalBytes();
        return new SignedRecord(b, FixedKey.AUTHORITY.sign(b));
    }

    static Handover handover() {
        return new Handover(GROUP, FixedKey.AUTHORITY.id(), FixedKey.HUB.id(), 3, T0 + 4);
    }

    static org.savesync.core.membership.Leave leave() {
        return new org.savesync.core.membership.Leave(GROUP, FixedKey.AUTHORITY.id(), T0 + 5); // the fuzz signer
    }

    static SignedRecord signedLeave() {
        byte[] b = leave().canonicalBytes();
        return new SignedRecord(b, FixedKey.AUTHORITY.sign(b));
    }

    static SignedRecord signedHandover() {
        byte[] b = handover().canonicalBytes();
        return new SignedRecord(b, FixedKey.AUTHORITY.sign(b));
    }

    static List<Entry> entries() {
        var a = FixedKey.AUTHORITY.id();
        var vv = VersionVector.of(Map.of(a, 2L, FixedKey.MEMBER.id(), 1L));
        long hlc = Hlc.of(T0, 7);
        return List.of(
                Entry.file(GROUP, a, 1, SafePath.of("docs/report ü.txt"), BLOB, CHUNK.length, -5, true, hlc, vv),
                Entry.file(GROUP, a, 2, SafePath.of("empty"), BlobId.EMPTY, 0, 0, false, hlc, VersionVector.of(Map.of(a, 1L))),
                Entry.directory(GROUP, a, 3, SafePath.of("docs"), 1, hlc, vv),
                new Entry(GROUP, a, 4, SafePath.of("link"), EntryType.SYMLINK, null, 0, 9, false, "../elsewhere", hlc, vv),
                new Entry(GROUP, a, Long.MAX_VALUE, SafePath.of("gone/ファイル"), EntryType.DELETED, null, 0, Long.MIN_VALUE,
                        false, null, Long.MAX_VALUE, vv));
    }

    static SignedRecord signedEntry(Entry e) {
        byte[] b = e.canonicalBytes();
        return new SignedRecord(b, FixedKey.AUTHORITY.sign(b));
    }
}
