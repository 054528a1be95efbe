package org.savesync.core.chunking;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A chunk id: the SHA-256 of the chunk's bytes. Text form is lowercase hex. */
public final class ChunkHash implements Comparable<ChunkHash> {
    public static final int LENGTH = 32;
    private final byte[] hash;
    private final int hashCode;

    private ChunkHash(byte[] hash) {
        this.hash = hash;
        this.hashCode = Arrays.hashCode(hash);
    }

    public static ChunkHash of(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("a chunk id is 32 bytes, got " + (raw == null ? "null" : raw.length));
        }
        return new ChunkHash(raw.clone());
    }

    public static ChunkHash parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** SHA-256 of {@code data[off, off+len)}. */
    public static ChunkHash compute(byte[] data, int off, int len) {
        MessageDigest md = sha256();
        md.update(data, off, len);
        return new ChunkHash(md.digest());
    }

    public static ChunkHash compute(byte[] data) {
        return compute(data, 0, data.length);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** Wraps a digest the caller has just computed (no copy). */
    static ChunkHash wrap(byte[] digest) {
        return new ChunkHash(digest);
    }

    public byte[] bytes() {
        return hash.clone();
    }

    /** Writes the 32 bytes into {@code out} at {@code off}. */
    public void copyTo(byte[] out, int off) {
        System.arraycopy(hash, 0, out, off, LENGTH);
    }

    public boolean matches(byte[] data, int off, int len) {
        MessageDigest md = sha256();
        md.update(data, off, len);
        return MessageDigest.isEqual(hash, md.digest());
    }

    @Override
    public int compareTo(ChunkHash o) {
        return Arrays.compareUnsigned(hash, o.hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkHash c && Arrays.equals(hash, c.hash);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(hash);
    }

    /** The first 12 hex characters, for logs. */
    public String shortString() {
        return toString().substring(0, 12);
    }
}
