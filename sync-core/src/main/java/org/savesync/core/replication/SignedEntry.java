package org.savesync.core.replication;

import org.savesync.core.encoding.ByteReader;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.TreeMap;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.MemberList;
import org.savesync.core.replication.InvalidEntryException.Reason;

/**
 * An entry with its author's Ed25519 signature over the canonical bytes (layout in
 * {@link Entry}). Only made by {@link #sign} or {@link #parse} (or {@link #reloadVerified}
 * for bytes one of those made, kept under a MAC), so the signature of every instance has been
 * checked. The exact signed bytes are kept and forwarded verbatim.
 *
 * <p>Receiving an entry: {@link #parse} (structure, safe path, signature), then
 * {@link #checkAdmissible} against the group's newest verified member list and the local
 * clock, then the store's own check that no different entry exists under the same (author, seq).
 */
public final class SignedEntry {
    public static final int SIGNATURE_LENGTH = 64;

    private final Entry entry;
    private final byte[] signedBytes;
    private final byte[] signature;

    private SignedEntry(Entry entry, byte[] signedBytes, byte[] signature) {
        this.entry = entry;
        this.signedBytes = signedBytes;
        this.signature = signature;
    }

    /** Signs {@code entry}; {@code authorKey} must be the key of {@code entry.author()}. */
    public static SignedEntry sign(Entry entry, NodeKey authorKey) {
        Objects.requireNonNull(entry, "entry");
        if (!authorKey.nodeId().equals(entry.author())) {
            throw new WrongAuthorKeyException(entry.author(), authorKey.nodeId());
        }
        byte[] bytes = entry.canonicalBytes();
        return new SignedEntry(entry, bytes, authorKey.sign(bytes));
    }

    /**
     * Parses received bytes strictly and verifies the author's signature.
     *
     * @throws InvalidEntryException when the bytes are not a canonical, valid entry (an unsafe
     *                               path is reason UNSAFE_PATH with the {@link UnsafePathException} as cause)
     * @throws BadSignatureException when the signature is not the named author's
     */
    /**
     * The seq of an entry's signed bytes, read at its fixed offset (after the tag, the group
     * id and the author) without decoding or verifying anything: lets a receiver skip an
     * entry it already holds byte for byte without paying for a signature check. Empty when
     * the bytes are too short or do not start with the entry tag.
     */
    public static java.util.OptionalLong peekSeq(byte[] signedBytes) {
        int at = Entry.TAG.length + 16 + 32;
        if (signedBytes == null || signedBytes.length < at + 8
                || !java.util.Arrays.equals(signedBytes, 0, Entry.TAG.length, Entry.TAG, 0, Entry.TAG.length)) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(java.nio.ByteBuffer.wrap(signedBytes, at, 8).getLong());
    }

    public static SignedEntry parse(byte[] signedBytes, byte[] signature) {
        Objects.requireNonNull(signedBytes, "signedBytes");
        byte[] bytes = signedBytes.clone();
        Entry entry = decode(bytes);
        if (signature == null || signature.length != SIGNATURE_LENGTH || !entry.author().verify(bytes, signature)) {
            throw new BadSignatureException(entry.author(), entry.seq());
        }
        return new SignedEntry(entry, bytes, signature.clone());
    }

    /**
     * Decodes an entry whose signature this process's owner checked before ({@link #parse} or
     * {@link #sign} made it) and kept since under an integrity check of its own that nothing
     * else can forge: the agent's index rows under their seal (a MAC with a key only the data
     * dir holds). The bytes are decoded as strictly as by {@link #parse}; only the Ed25519
     * check is not repeated. Bytes from anywhere else go through {@link #parse}.
     *
     * @throws InvalidEntryException when the bytes are not a canonical, valid entry
     * @throws BadSignatureException when the signature does not have the length of one
     */
    public static SignedEntry reloadVerified(byte[] signedBytes, byte[] signature) {
        Objects.requireNonNull(signedBytes, "signedBytes");
        byte[] bytes = signedBytes.clone();
        Entry entry = decode(bytes);
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new BadSignatureException(entry.author(), entry.seq());
        }
        return new SignedEntry(entry, bytes, signature.clone());
    }

    private static Entry decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        try {
            byte[] tag = r.raw(Entry.TAG.length, "domain tag");
            if (!Arrays.equals(tag, Entry.TAG)) {
                throw new InvalidEntryException(Reason.UNSUPPORTED_FORMAT, "domain tag is "
                        + HexFormat.of().formatHex(tag) + " (hex), expected 'savesync/entry/v1'");
            }
            GroupId group = GroupId.of(r.raw(GroupId.LENGTH, "group id"));
            NodeId author = NodeId.of(r.raw(NodeId.LENGTH, "author"));
            long seq = r.u64("seq");
            int pathLength = r.u16("path length");
            if (pathLength == 0 || pathLength > SafePath.MAX_BYTES) {
                throw new ByteReader.Malformed("path length " + pathLength + " is outside 1.." + SafePath.MAX_BYTES);
            }
            String pathText = r.utf8(pathLength, "path");
            SafePath path;
            try {
                path = SafePath.of(pathText);
            } catch (UnsafePathException e) {
                throw new InvalidEntryException(Reason.UNSAFE_PATH, e.getMessage(), e);
            }
            int typeCode = r.u8("type");
            EntryType type;
            try {
                type = EntryType.fromCode(typeCode);
            } catch (IllegalArgumentException e) {
                throw new InvalidEntryException(Reason.UNKNOWN_TYPE, e.getMessage());
            }
            BlobId blob = r.bool("blob presence") ? BlobId.fromBytes(r.raw(BlobId.LENGTH, "blob id")) : null;
            long size = r.u64("size");
            long mtime = r.u64("mtime");
            boolean executable = r.bool("executable");
            String target = null;
            if (r.bool("symlink target presence")) {
                int n = r.u16("symlink target length");
                if (n == 0 || n > Entry.MAX_TARGET_BYTES) {
                    throw new ByteReader.Malformed("symlink target length " + n + " is outside 1.." + Entry.MAX_TARGET_BYTES);
                }
                target = r.utf8(n, "symlink target");
            }
            long hlc = r.u64("hlc");
            int count = r.u16("version vector size");
            TreeMap<NodeId, Long> counters = new TreeMap<>();
            NodeId previous = null;
            for (int i = 0; i < count; i++) {
                NodeId id = NodeId.of(r.raw(NodeId.LENGTH, "version vector node " + i));
                long c = r.u64("version vector counter " + i);
                if (previous != null && previous.compareTo(id) >= 0) {
                    throw new InvalidEntryException(Reason.NOT_CANONICAL, "version vector nodes are not strictly ascending at " + i);
                }
                if (c < 1) {
                    throw new InvalidEntryException(Reason.INVALID_FIELD, "version vector counter " + Long.toUnsignedString(c)
                            + " for " + id.shortId(7) + " is outside 1..2^63-1");
                }
                previous = id;
                counters.put(id, c);
            }
            r.expectEnd("entry");
            try {
                return new Entry(group, author, seq, path, type, blob, size, mtime, executable, target, hlc,
                        VersionVector.of(counters));
            } catch (IllegalArgumentException e) {
                throw new InvalidEntryException(Reason.INVALID_FIELD, e.getMessage());
            }
        } catch (ByteReader.Malformed e) {
            throw new InvalidEntryException(Reason.MALFORMED, e.getMessage());
        }
    }

    /**
     * Checks that this entry may be stored in {@code members}' group at {@code nowMillis}: it is for
     * that group, its author is a member whose role may write, and its HLC is not too far ahead.
     * {@code members} must be the newest verified list the receiver holds.
     *
     * @throws InvalidEntryException with reason WRONG_GROUP, NOT_A_WRITER or TOO_FAR_AHEAD
     */
    public void checkAdmissible(MemberList members, long nowMillis) {
        if (!entry.group().equals(members.group())) {
            throw new InvalidEntryException(Reason.WRONG_GROUP, "entry of group " + entry.group()
                    + " received for group " + members.group());
        }
        if (!members.canWrite(entry.author())) {
            throw new InvalidEntryException(Reason.NOT_A_WRITER, "author " + entry.author() + " is "
                    + members.member(entry.author()).map(m -> "a " + m.role() + ", which may not write")
                            .orElse("not on member list version " + members.version()));
        }
        if (Hlc.tooFarAhead(entry.hlc(), nowMillis)) {
            throw new InvalidEntryException(Reason.TOO_FAR_AHEAD, "its HLC " + Hlc.format(entry.hlc())
                    + " is more than " + Hlc.MAX_FUTURE_SKEW.toMinutes() + " minutes ahead of this node's clock;"
                    + " the author's clock is wrong (or this node's is)");
        }
    }

    public Entry entry() {
        return entry;
    }

    /** The exact bytes the signature covers (a copy): forward these, never a re-encoding. */
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Whether both carry exactly the same signed bytes (the same record, whoever forwarded it). */
    public boolean sameContentAs(SignedEntry other) {
        return Arrays.equals(signedBytes, other.signedBytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedEntry s && Arrays.equals(signedBytes, s.signedBytes) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signedBytes);
    }

    @Override
    public String toString() {
        return "Signed" + entry;
    }
}
