package org.savesync.core.identity;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.GeneralSecurityException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A node's identity: its raw 32-byte Ed25519 public key. Text form is RFC 4648 base32,
 * lowercase, no padding (52 characters). Ordering compares the raw key bytes unsigned,
 * never the string.
 */
public final class NodeId implements Comparable<NodeId> {
    public static final int LENGTH = 32;
    public static final int TEXT_LENGTH = 52;
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112) before the raw key. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private static final Object INVALID = new Object();

    private final byte[] key;
    private final String text;
    /** Cache of {@link #point()}: a PublicPoint, or INVALID. */
    private volatile Object point;

    private NodeId(byte[] key) {
        this.key = key;
        this.text = Base32.encode(key);
    }

    public static NodeId of(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("a node id is 32 bytes, got " + (raw == null ? "null" : raw.length));
        }
        return new NodeId(raw.clone());
    }

    public static NodeId parse(String text) {
        if (text == null || text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("a node id is 52 base32 characters, got "
                    + (text == null ? "null" : text.length() + ": '" + text + "'"));
        }
        return of(Base32.decode(text));
    }

    /** The node id of an Ed25519 public key (X.509-encoded, as the JDK and certificates give it). */
    public static NodeId fromPublicKey(PublicKey publicKey) {
        byte[] enc = publicKey.getEncoded();
        if (!"Ed25519".equalsIgnoreCase(publicKey.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(publicKey.getAlgorithm())) {
            throw new IllegalArgumentException("not an Ed25519 key: " + publicKey.getAlgorithm());
        }
        if (enc.length != X509_PREFIX.length + LENGTH
                || !Arrays.equals(enc, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("unexpected Ed25519 public key encoding");
        }
        return of(Arrays.copyOfRange(enc, X509_PREFIX.length, enc.length));
    }

    public byte[] bytes() {
        return key.clone();
    }

    public PublicKey publicKey() {
        byte[] enc = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + LENGTH);
        System.arraycopy(key, 0, enc, X509_PREFIX.length, LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(enc));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot decode an Ed25519 key", e);
        }
    }

    /** True when {@code signature} is this node's Ed25519 signature over {@code data}. */
    public boolean verify(byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64) {
            return false;
        }
        Ed25519.PublicPoint p = point();
        return p != null && Ed25519.verify(signature, 0, p, data, 0, data.length);
    }

    /**
     * The decoded public key, worked out once per node id: decoding costs about as much as a
     * verification, and a receiver verifies every entry of an author with the same key. Bouncy
     * Castle's RFC 8032 verification is also about 5× faster than the JDK's here. Null when the
     * 32 bytes are not a valid Ed25519 public key (then nothing verifies).
     */
    private Ed25519.PublicPoint point() {
        Object p = point;
        if (p == null) {
            Ed25519.PublicPoint decoded = Ed25519.validatePublicKeyFullExport(key, 0);
            p = decoded == null ? INVALID : decoded;
            point = p;
        }
        return p == INVALID ? null : (Ed25519.PublicPoint) p;
    }

    /** First {@code n} characters of the text form (conflict copies use 7). */
    public String shortId(int n) {
        return text.substring(0, Math.min(n, text.length()));
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(key, o.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(key, n.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return text;
    }
}
