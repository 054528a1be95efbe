package org.savesync.agent.persistence;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.LocalRecord;
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

/** Real signed entries, local records and group infos for the store tests, and a full snapshot of a store. */
final class TestRecords {
    static final long HLC = Hlc.of(1_700_000_000_000L, 0);

    private TestRecords() {
    }

    /** A file entry signed by {@code key}; its blob and size are derived from the seq so each seq differs. */
    static SignedEntry file(NodeKey key, GroupId group, long seq, String path) {
        NodeId author = key.nodeId();
        return SignedEntry.sign(Entry.file(group, author, seq, SafePath.of(path), blob("content " + seq + " " + path),
                10 + seq, 1_000_000L * seq, seq % 2 == 0, HLC + seq, VersionVector.of(Map.of(author, seq))), key);
    }

    static SignedEntry deleted(NodeKey key, GroupId group, long seq, String path) {
        NodeId author = key.nodeId();
        return SignedEntry.sign(Entry.deleted(group, author, seq, SafePath.of(path), HLC + seq,
                VersionVector.of(Map.of(author, seq))), key);
    }

    static BlobId blob(String content) {
        return BlobId.of(List.of(new ChunkRef(content.length(), ChunkHash.compute(content.getBytes(StandardCharsets.UTF_8)))));
    }

    static List<ChunkRef> chunks(int n, int salt) {
        List<ChunkRef> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ChunkRef(1000 + i, ChunkHash.compute(("chunk " + salt + "/" + i).getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    /** The local record of a synced file at {@code path}. */
    static LocalRecord localFile(String path, NodeId self, long counter) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.FILE, 10 + counter, 1_000_000L * counter, counter % 2 == 1,
                null, 4000 + counter, -1);
        return new LocalRecord(SafePath.of(path), stat, blob("local " + path + counter),
                VersionVector.of(Map.of(self, counter)), null);
    }

    static LocalRecord localSymlink(String path, String target, NodeId self) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.SYMLINK, 0, -5, false, target, 77, 123);
        return new LocalRecord(SafePath.of(path), stat, null, VersionVector.of(Map.of(self, 1L)), null);
    }

    static LocalRecord localConflictCopy(String path, String original, NodeId loser, long seq) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.FILE, 0, 0, false, null, 9, 9);
        return new LocalRecord(SafePath.of(path), stat, BlobId.EMPTY, VersionVector.EMPTY,
                new LocalRecord.ConflictSource(SafePath.of(original), loser, seq));
    }

    static LocalRecord localDirectory(String path) {
        LocalFile stat = new LocalFile(path, LocalFile.Kind.DIRECTORY, 0, 42, false, null, 1, 2);
        return new LocalRecord(SafePath.of(path), stat, null, VersionVector.EMPTY, null);
    }

    /** A group created by {@code authority}, as the engine makes it, with one peer's addresses. */
    static GroupInfo info(GroupId group, NodeKey authority, Path folder) {
        MemberList list = MemberList.initial(group, new Member(authority.nodeId(), "laptop", Role.OWNER, 1000,
                authority.nodeId()), 1000);
        SignedMemberList signed = SignedMemberList.sign(list, authority);
        return new GroupInfo(group, "photos ✓", folder, authority.nodeId(),
                new SignedRecord(signed.signedBytes(), signed.signature()), GroupSecret.random(3),
                Map.of(NodeKey.generate().nodeId(), List.of("192.0.2.1:4433", "[2001:db8::1]:4433")));
    }

    /** An H2 datasource on the index database in {@code dataDir}, with the app's URL (one connection per call). */
    static JdbcDataSource dataSource(Path dataDir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(H2Stores.jdbcUrl(dataDir));
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    /**
     * A migrated database behind H2's own small pool, standing for the app's Agroal pool: its idle
     * connection keeps the database open between calls; {@code dispose()} closes the database.
     */
    static JdbcConnectionPool openDatabase(Path dataDir) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(dataSource(dataDir));
        H2Stores.migrate(pool);
        return pool;
    }

    /**
     * Everything a store shows: info (arrays as hex), knowledge, the entries by path and by
     * author in seq order, locals, and the chunk lists of {@code blobs}.
     */
    record Snapshot(Optional<List<Object>> info, KnowledgeVector knowledge, Map<SafePath, Set<SignedEntry>> byPath,
                    Map<NodeId, List<SignedEntry>> byAuthor, Set<LocalRecord> locals,
                    Map<BlobId, Optional<List<ChunkRef>>> chunkLists) {

        static Snapshot of(IndexStore s, Collection<BlobId> blobs) {
            HexFormat hex = HexFormat.of();
            Optional<List<Object>> info = s.info().map(i -> List.of(i.id(), i.name(), i.folder(), i.authority(),
                    hex.formatHex(i.memberList().signedBytes()), hex.formatHex(i.memberList().signature()),
                    i.secret(), i.peerAddresses()));
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
