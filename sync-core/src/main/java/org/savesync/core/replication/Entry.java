package org.savesync.core.replication;

import org.savesync.core.encoding.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * One change an author made to one path of a group: the record it signs (see {@link SignedEntry}).
 *
 * <h2>Field rules</h2>
 * <ul>
 *   <li>{@code seq} ≥ 1, {@code hlc} ≥ 1 (below 2^63, see {@link Hlc});</li>
 *   <li>{@code version} holds at most 65535 nodes and the author's own counter is ≥ 1
 *       (an author raises its counter with each change it makes);</li>
 *   <li>FILE: {@code blob} set, {@code size} ≥ 0, and {@code blob} is {@link BlobId#EMPTY}
 *       exactly when {@code size} is 0; no symlink target;</li>
 *   <li>SYMLINK: {@code symlinkTarget} set, 1..{@value #MAX_TARGET_BYTES} UTF-8 bytes, no NUL,
 *       valid Unicode; it is stored as given and never followed (it may point anywhere);</li>
 *   <li>DIRECTORY, DELETED, SYMLINK: no blob, size 0, not executable;</li>
 *   <li>{@code mtimeNanos} is any value (ns since the Unix epoch, negative before 1970).</li>
 * </ul>
 *
 * <h2>Canonical signed bytes</h2>
 * Protocol constant; integers big-endian, unsigned unless noted:
 * <pre>
 * size  field
 *   18  domain tag: "savesync/entry/v1" (17 ASCII bytes) then 0x00
 *   16  group id
 *   32  author node id (raw Ed25519 public key)
 *    8  u64 seq (1 .. 2^63-1)
 *    2  u16 path length p (1 .. 4096)
 *    p  path, UTF-8, must pass {@link SafePath#of}
 *    1  u8 type (1 FILE, 2 DIRECTORY, 3 SYMLINK, 4 DELETED)
 *    1  u8 blob present: 1 for FILE, 0 otherwise
 *  [32] blob id, only when present
 *    8  u64 size (0 .. 2^63-1)
 *    8  i64 mtimeNanos (two's complement)
 *    1  u8 executable (0 or 1)
 *    1  u8 symlink target present: 1 for SYMLINK, 0 otherwise
 *  [2+t] only when present: u16 target length t (1 .. 4096), then t bytes UTF-8
 *    8  u64 hlc (1 .. 2^63-1)
 *    2  u16 version vector size v (1 .. 65535)
 * 40·v  v times: 32-byte node id, u64 counter (1 .. 2^63-1); node ids strictly ascending (unsigned bytes)
 * </pre>
 * Nothing follows the last vector element. Every value has exactly one encoding, so parsing
 * and re-encoding gives the same bytes; still, received bytes are kept and forwarded verbatim.
 */
public record Entry(GroupId group, NodeId author, long seq, SafePath path, EntryType type, BlobId blob, long size,
                    long mtimeNanos, boolean executable, String symlinkTarget, long hlc, VersionVector version) {
    /** The domain tag, including its terminating zero byte. */
    static final byte[] TAG = "savesync/entry/v1\0".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_TARGET_BYTES = 4096;
    public static final int MAX_VECTOR_SIZE = 0xffff;

    public Entry {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        if (hlc < 1) {
            throw new IllegalArgumentException("hlc must be >= 1 (and below 2^63), got " + hlc);
        }
        if (version.size() > MAX_VECTOR_SIZE) {
            throw new IllegalArgumentException("a version vector holds at most " + MAX_VECTOR_SIZE + " nodes, got " + version.size());
        }
        if (version.counter(author) < 1) {
            throw new IllegalArgumentException("the version vector " + version + " must count the author " + author.shortId(7)
                    + " (an author raises its own counter with each change)");
        }
        if (type == EntryType.FILE) {
            if (blob == null) {
                throw new IllegalArgumentException("a FILE entry needs a blob id (BlobId.EMPTY for an empty file)");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, got " + size);
            }
            if (blob.equals(BlobId.EMPTY) != (size == 0)) {
                throw new IllegalArgumentException("blob " + blob.shortString() + " and size " + size
                        + " disagree: the empty blob goes with size 0 and only with it");
            }
        } else {
            if (blob != null || size != 0 || executable) {
                throw new IllegalArgumentException("a " + type + " entry has no blob, size 0 and no executable bit");
            }
        }
        if (type == EntryType.SYMLINK) {
            checkTarget(symlinkTarget);
        } else if (symlinkTarget != null) {
            throw new IllegalArgumentException("only a SYMLINK entry has a symlink target, this is a " + type);
        }
    }

    private static void checkTarget(String target) {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("a SYMLINK entry needs a non-empty target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("a symlink target must not contain NUL");
            }
            if (Character.isHighSurrogate(c) && (i + 1 >= target.length() || !Character.isLowSurrogate(target.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(target.charAt(i - 1)))) {
                throw new IllegalArgumentException("a symlink target is not valid Unicode (lone surrogate at " + i + ")");
            }
        }
        int bytes = target.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TARGET_BYTES) {
            throw new IllegalArgumentException("a symlink target is at most " + MAX_TARGET_BYTES + " UTF-8 bytes, got " + bytes);
        }
    }

    /** A file (an empty one has {@link BlobId#EMPTY} and size 0). */
    public static Entry file(GroupId group, NodeId author, long seq, SafePath path, BlobId blob, long size,
                             long mtimeNanos, boolean executable, long hlc, VersionVector version) {
        return new Entry(group, author, seq, path, EntryType.FILE, blob, size, mtimeNanos, executable, null, hlc, version);
    }

    public static Entry directory(GroupId group, NodeId author, long seq, SafePath path, long mtimeNanos, long hlc,
                                  VersionVector version) {
        return new Entry(group, author, seq, path, EntryType.DIRECTORY, null, 0, mtimeNanos, false, null, hlc, version);
    }

    public static Entry symlink(GroupId group, NodeId author, long seq, SafePath path, String target, long mtimeNanos,
                                long hlc, VersionVector version) {
        return new Entry(group, author, seq, path, EntryType.SYMLINK, null, 0, mtimeNanos, false, target, hlc, version);
    }

    /** A deletion; its mtime is 0. */
    public static Entry deleted(GroupId group, NodeId author, long seq, SafePath path, long hlc, VersionVector version) {
        return new Entry(group, author, seq, path, EntryType.DELETED, null, 0, 0, false, null, hlc, version);
    }

    /**
     * Whether both entries leave the same thing on disk at the path: same type, blob,
     * executable bit and symlink target (mtime, author and clocks aside). Same content on both
     * sides of a concurrent change is no conflict.
     */
    public boolean sameContent(Entry other) {
        return type == other.type && Objects.equals(blob, other.blob) && executable == other.executable
                && Objects.equals(symlinkTarget, other.symlinkTarget);
    }

    /** The canonical bytes described in the class comment; what the author signs. */
    public byte[] canonicalBytes() {
        ByteWriter w = new ByteWriter()
                .raw(TAG)
                .raw(group.bytes())
                .raw(author.bytes())
                .u64(seq)
                .str16(path.toString())
                .u8(type.code());
        if (blob != null) {
            w.u8(1).raw(blob.bytes());
        } else {
            w.u8(0);
        }
        w.u64(size).u64(mtimeNanos).u8(executable ? 1 : 0);
        if (symlinkTarget != null) {
            w.u8(1).str16(symlinkTarget);
        } else {
            w.u8(0);
        }
        w.u64(hlc).u16(version.size());
        version.counters().forEach((id, c) -> w.raw(id.bytes()).u64(c));
        return w.toByteArray();
    }

    @Override
    public String toString() {
        return "Entry[" + author.shortId(7) + "#" + seq + " " + type + " " + path
                + (blob != null ? " blob=" + blob.shortString() + " size=" + size : "")
                + (executable ? " +x" : "")
                + (symlinkTarget != null ? " -> " + symlinkTarget : "")
                + " hlc=" + Hlc.format(hlc) + " vv=" + version + "]";
    }
}
