package org.savesync.core.index;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.encoding.ByteWriter;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;

/**
 * Real signed entries, local records and group infos for the {@link IndexStore} tests of every
 * module (published in sync-core's test-jar), and a full snapshot of a store.
 */
public final class TestRecords {
    public static final long HLC = Hlc.of(1_700_000_000_000L, 0);

    private TestRecords() {
    }

    /** A file entry signed by {@code key}; its blob and size are derived from the seq so each seq differs. */
    public static SignedEntry file(NodeKey key, GroupId group, long seq, String path) {
        NodeId author = key.nodeId();
        return SignedEntry.sign(Entry.file(group, author, seq, SafePath.of(path), blob("content " + seq + " " + path),
                10 + seq, 1_000_000L * seq, seq % 2 == 0, HLC + seq, VersionVector.of(Map.of(author, seq))), key);
    }

    public static SignedEntry deleted(NodeKey key, GroupId group, long seq, String path) {
        NodeId author = key.nodeId();
        return SignedEntry.sign(Entry.deleted(group, author, seq, SafePath.of(path), HLC + seq,
                VersionVector.of(Map.of(author, seq))), key);
    }

    public static BlobId blob(String content) {
        return BlobId.of(List.of(new ChunkRef(content.length(), ChunkHash.compute(content.getBytes(StandardCharsets.UTF_8)))));
    }

    public static List<ChunkRef> chunks(int n, int salt) {
        List<ChunkRef> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ChunkRef(1000 + i, ChunkHash.compute(("chunk " + salt + "/" + i).getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    /** The local record of a synced file at {@code path}. */
    public static LocalRecord localFile(String path, NodeId self, long counter) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.FILE, 10 + counter, 1_000_000L * counter, counter % 2 == 1,
                null, 4000 + counter, -1);
        return new LocalRecord(SafePath.of(path), stat, blob("local " + path + counter),
                VersionVector.of(Map.of(self, counter)), null);
    }

    public static LocalRecord localSymlink(String path, String target, NodeId self) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.SYMLINK, 0, -5, false, target, 77, 123);
        return new LocalRecord(SafePath.of(path), stat, null, VersionVector.of(Map.of(self, 1L)), null);
    }

    public static LocalRecord localConflictCopy(String path, String original, NodeId loser, long seq) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.FILE, 0, 0, false, null, 9, 9);
        return new LocalRecord(SafePath.of(path), stat, BlobId.EMPTY, VersionVector.EMPTY,
                new LocalRecord.ConflictSource(SafePath.of(original), loser, seq));
    }

    public static LocalRecord localDirectory(String path) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.DIRECTORY, 0, 42, false, null, 1, 2);
        return new LocalRecord(SafePath.of(path), stat, null, VersionVector.EMPTY, null);
    }

    /** A group created by {@code authority}, as the engine makes it, with one peer's addresses. */
    public static GroupInfo info(GroupId group, NodeKey authority, Path folder) {
        MemberList list = MemberList.initial(group, new Member(authority.nodeId(), "laptop", Role.OWNER, 1000,
                authority.nodeId()), 1000);
        SignedMemberList signed = SignedMemberList.sign(list, authority);
        return new GroupInfo(group, "photos ✓", folder, authority.nodeId(),
                new SignedRecord(signed.signedBytes(), signed.signature()), GroupSecret.random(3),
                Map.of(NodeKey.generate().nodeId(), List.of("192.0.2.1:4433", "[2001:db8::1]:4433")));
    }

    /**
     * {@code info} handed over to {@code hub}: version 2 of the member list, signed by the hub
     * and naming it with role HUB, and a stand-in handover record signed by the creator (the
     * store keeps it verbatim and does not read it).
     */
    public static GroupInfo handedOver(GroupInfo info, NodeKey creator, NodeKey hub) {
        MemberList v1 = SignedMemberList.parse(info.memberList().signedBytes(), info.memberList().signature()).list();
        List<Member> members = new ArrayList<>(v1.members());
        members.add(new Member(hub.nodeId(), "hub", Role.HUB, 2000, creator.nodeId()));
        SignedMemberList v2 = SignedMemberList.sign(new MemberList(info.id(), 2, hub.nodeId(), 2000, members), hub);
        byte[] handover = new ByteWriter().raw("savesync/handover/test\0".getBytes(StandardCharsets.US_ASCII))
                .raw(info.id().bytes()).raw(hub.nodeId().bytes()).toByteArray();
        return info.handedOver(hub.nodeId(), new SignedRecord(handover, creator.sign(handover)),
                new SignedRecord(v2.signedBytes(), v2.signature()));
    }

    /**
     * Everything a store shows: info (arrays as hex, the handover included; null folder and
     * secret allowed), knowledge, the entries by path and by author in seq order, locals, and
     * the chunk lists of {@code blobs}.
     */
    public record Snapshot(Optional<List<Object>> info, KnowledgeVector knowledge,
                           Map<SafePath, Set<SignedEntry>> byPath, Map<NodeId, List<SignedEntry>> byAuthor,
                           Set<LocalRecord> locals, Map<BlobId, Optional<List<ChunkRef>>> chunkLists) {

        public static Snapshot of(IndexStore s, Collection<BlobId> blobs) {
            HexFormat hex = HexFormat.of();
            Optional<List<Object>> info = s.info().map(i -> Arrays.<Object>asList(i.id(), i.name(), i.folder(), i.authority(),
                    hex.formatHex(i.memberList().signedBytes()), hex.formatHex(i.memberList().signature()),
                    i.secret(), i.peerAddresses(), Optional.ofNullable(i.handover())
                            .map(h -> hex.formatHex(h.signedBytes()) + "/" + hex.formatHex(h.signature())).orElse("none")));
            Map<SafePath, Set<SignedEntry>> byPath = new TreeMap<>();
            Set<NodeId> authors = new HashSet<>(s.knowledge().highest().keySet());
            for (SafePath p : s.paths()) {
                byPath.put(p, new HashSet<>(s.entriesForPath(p)));
                s.entriesForPath(p).forEach(e -> authors.add(e.entry().author()));
            }
            Map<NodeId, List<SignedEntry>> byAuthor = new HashMap<>();
            for (NodeId a : authors) {
                byAuthor.put(a, s.entriesAfter(a, 0, Integer.MAX_VALUE));
            }
            Map<BlobId, Optional<List<ChunkRef>>> chunkLists = new HashMap<>();
            blobs.forEach(b -> chunkLists.put(b, s.chunkList(b)));
            return new Snapshot(info, s.knowledge(), byPath, byAuthor, new HashSet<>(s.locals()), chunkLists);
        }
    }
}
