package org.savesync.core.index;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.encoding.ByteReader;
import org.savesync.core.encoding.ByteWriter;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.VersionVector;

/**
 * The compact layouts of the index's unsigned records in a database (the agent's H2, the
 * hub's PostgreSQL). Signed records (entries, member lists) are never encoded here: their
 * exact signed bytes are stored.
 * Integers big-endian; {@code str16} is a u16 byte length then UTF-8; {@code opt(x)} is a
 * 0/1 byte then x when 1. Every layout starts with a u8 format ({@value #FORMAT}); a reader
 * refuses formats it does not know, so a newer node's rows fail loudly instead of misreading.
 *
 * <pre>
 * local record:   u8 format, opt(stat), opt(32 blob id), opt(vector), opt(conflict source)
 *   stat:         str16 path, u8 kind (1 FILE, 2 DIRECTORY, 3 SYMLINK), u64 size, i64 mtimeNanos,
 *                 u8 executable, opt(str16 symlink target), i64 inode, i64 ctimeNanos
 *   vector:       u16 n, n × (32 node id, u64 counter)
 *   conflict:     str16 original path, 32 author, u64 seq
 * peer addresses: u8 format, u16 peers, peers × (32 node id, u16 n, n × str16 address)
 * chunk list:     u8 format, then to the end: (u32 length, 32 chunk hash)*
 * </pre>
 */
public final class RecordCodec {
    public static final int FORMAT = 1;
    private static final int CHUNK_BYTES = 4 + ChunkHash.LENGTH;

    private RecordCodec() {
    }

    public static byte[] encodeLocal(LocalRecord r) {
        ByteWriter w = new ByteWriter().u8(FORMAT);
        LocalFile f = r.stat();
        w.u8(f == null ? 0 : 1);
        if (f != null) {
            w.str16(f.path()).u8(kindCode(f.kind())).u64(f.size()).u64(f.mtimeNanos()).u8(f.executable() ? 1 : 0);
            w.u8(f.symlinkTarget() == null ? 0 : 1);
            if (f.symlinkTarget() != null) {
                w.str16(f.symlinkTarget());
            }
            w.u64(f.inode()).u64(f.ctimeNanos());
        }
        w.u8(r.blob() == null ? 0 : 1);
        if (r.blob() != null) {
            w.raw(r.blob().bytes());
        }
        w.u8(r.version() == null ? 0 : 1);
        if (r.version() != null) {
            w.u16(r.version().size());
            r.version().counters().forEach((id, c) -> w.raw(id.bytes()).u64(c));
        }
        LocalRecord.ConflictSource c = r.conflict();
        w.u8(c == null ? 0 : 1);
        if (c != null) {
            w.str16(c.original().toString()).raw(c.author().bytes()).u64(c.seq());
        }
        return w.toByteArray();
    }

    /** @throws ByteReader.Malformed or IllegalArgumentException when the bytes are not a valid record */
    public static LocalRecord decodeLocal(SafePath path, byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        format(r, "local record");
        LocalFile stat = null;
        if (r.bool("stat presence")) {
            String p = r.str16("stat path");
            LocalFile.Kind kind = kind(r.u8("kind"));
            long size = r.u64("size");
            long mtime = r.u64("mtime");
            boolean exec = r.bool("executable");
            String target = r.bool("symlink target presence") ? r.str16("symlink target") : null;
            long inode = r.u64("inode");
            long ctime = r.u64("ctime");
            stat = new LocalFile(p, kind, size, mtime, exec, target, inode, ctime);
        }
        BlobId blob = r.bool("blob presence") ? BlobId.fromBytes(r.raw(BlobId.LENGTH, "blob id")) : null;
        VersionVector version = null;
        if (r.bool("version presence")) {
            int n = r.u16("version size");
            Map<NodeId, Long> counters = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                counters.put(NodeId.of(r.raw(NodeId.LENGTH, "version node")), r.u64("version counter"));
            }
            version = VersionVector.of(counters);
        }
        LocalRecord.ConflictSource conflict = null;
        if (r.bool("conflict presence")) {
            conflict = new LocalRecord.ConflictSource(SafePath.of(r.str16("conflict original")),
                    NodeId.of(r.raw(NodeId.LENGTH, "conflict author")), r.u64("conflict seq"));
        }
        r.expectEnd("local record");
        return new LocalRecord(path, stat, blob, version, conflict);
    }

    public static byte[] encodePeers(Map<NodeId, List<String>> peers) {
        ByteWriter w = new ByteWriter().u8(FORMAT).u16(peers.size());
        peers.forEach((node, addresses) -> {
            w.raw(node.bytes()).u16(addresses.size());
            addresses.forEach(w::str16);
        });
        return w.toByteArray();
    }

    public static Map<NodeId, List<String>> decodePeers(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        format(r, "peer addresses");
        int peers = r.u16("peer count");
        Map<NodeId, List<String>> out = new HashMap<>();
        for (int i = 0; i < peers; i++) {
            NodeId node = NodeId.of(r.raw(NodeId.LENGTH, "peer node id"));
            int n = r.u16("address count");
            List<String> addresses = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                addresses.add(r.str16("address"));
            }
            out.put(node, List.copyOf(addresses));
        }
        r.expectEnd("peer addresses");
        return out;
    }

    public static byte[] encodeChunks(List<ChunkRef> chunks) {
        ByteBuffer b = ByteBuffer.allocate(1 + chunks.size() * CHUNK_BYTES).put((byte) FORMAT);
        byte[] hash = new byte[ChunkHash.LENGTH];
        for (ChunkRef c : chunks) {
            c.hash().copyTo(hash, 0);
            b.putInt(c.length()).put(hash);
        }
        return b.array();
    }

    public static List<ChunkRef> decodeChunks(byte[] bytes) {
        if (bytes.length < 1 || bytes[0] != FORMAT) {
            throw new ByteReader.Malformed("chunk list format " + (bytes.length < 1 ? "missing" : bytes[0] & 0xff)
                    + " is not " + FORMAT + " (written by a newer agent?)");
        }
        if ((bytes.length - 1) % CHUNK_BYTES != 0) {
            throw new ByteReader.Malformed("chunk list of " + bytes.length + " bytes is not a whole number of chunks");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        List<ChunkRef> out = new ArrayList<>((bytes.length - 1) / CHUNK_BYTES);
        byte[] hash = new byte[ChunkHash.LENGTH];
        while (b.hasRemaining()) {
            int length = b.getInt();
            b.get(hash);
            out.add(new ChunkRef(length, ChunkHash.of(hash)));
        }
        return List.copyOf(out);
    }

    private static int kindCode(LocalFile.Kind kind) {
        return switch (kind) {
            case FILE -> 1;
            case DIRECTORY -> 2;
            case SYMLINK -> 3;
        };
    }

    private static LocalFile.Kind kind(int code) {
        return switch (code) {
            case 1 -> LocalFile.Kind.FILE;
            case 2 -> LocalFile.Kind.DIRECTORY;
            case 3 -> LocalFile.Kind.SYMLINK;
            default -> throw new ByteReader.Malformed("unknown file kind " + code);
        };
    }

    private static void format(ByteReader r, String what) {
        int f = r.u8(what + " format");
        if (f != FORMAT) {
            throw new ByteReader.Malformed(what + " format " + f + " is not " + FORMAT + " (written by a newer agent?)");
        }
    }
}
