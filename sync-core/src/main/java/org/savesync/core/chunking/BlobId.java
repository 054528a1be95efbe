package org.savesync.core.chunking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A file's content id. Protocol constant layout of the hashed bytes:
 * <pre>
 *   "savesync/blob/v1" (16 ASCII bytes) 0x00
 *   for each chunk in file order:  u64 big-endian chunk length || 32-byte chunk id
 * </pre>
 * The empty file is the empty list: SHA-256 of the tag and the zero byte alone.
 */
public final class BlobId {
    public static final int LENGTH = 32;
    static final byte[] TAG = "savesync/blob/v1\0".getBytes(StandardCharsets.US_ASCII);
    /** The blob id of every empty file. */
    public static final BlobId EMPTY = of(List.of());

    private final byte[] id;

    private BlobId(byte[] id) {
        this.id = id;
    }

    public static BlobId of(List<ChunkRef> chunks) {
        MessageDigest md = ChunkHash.sha256();
        md.update(TAG);
        byte[] rec = new byte[8 + ChunkHash.LENGTH];
        for (ChunkRef c : chunks) {
            long len = c.length();
            for (int i = 0; i < 8; i++) {
                rec[i] = (byte) (len >>> (56 - 8 * i));
            }
            c.hash().copyTo(rec, 8);
            md.update(rec);
        }
        return new BlobId(md.digest());
    }

    public static BlobId fromBytes(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("a blob id is 32 bytes, got " + (raw == null ? "null" : raw.length));
        }
        return new BlobId(raw.clone());
    }

    public static BlobId parse(String hex) {
        return fromBytes(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return id.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId b && Arrays.equals(id, b.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(id);
    }

    public String shortString() {
        return toString().substring(0, 12);
    }
}
