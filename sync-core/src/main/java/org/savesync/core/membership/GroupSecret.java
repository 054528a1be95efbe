package org.savesync.core.membership;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret members of a group share: 32 random bytes and the epoch they belong to. The
 * epoch goes up each time the secret is rotated (a member was removed). Keys for
 * particular jobs are derived with {@link #derive(String, int)}, never used raw.
 *
 * <p>Derivation is HKDF-SHA256 (RFC 5869): {@code PRK = HMAC-SHA256(salt, secret)} with
 * the salt {@value #HKDF_SALT} (ASCII), then the expand step with {@code info} = the label
 * in UTF-8. The epoch is not mixed in: each epoch has a different secret already.
 *
 * <p>{@link #toString()} never shows the secret, and {@link #equals} compares in constant time.
 */
public final class GroupSecret {
    public static final int LENGTH = 32;
    /** HKDF salt, a protocol constant. */
    public static final String HKDF_SALT = "savesync/group-secret/v1";
    /** RFC 5869 limit: 255 blocks of SHA-256 output. */
    public static final int MAX_DERIVED_LENGTH = 255 * 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long epoch;
    private final byte[] secret;

    private GroupSecret(long epoch, byte[] secret) {
        this.epoch = epoch;
        this.secret = secret;
    }

    /** A fresh random secret for {@code epoch} (≥ 0). */
    public static GroupSecret random(long epoch) {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return of(epoch, b);
    }

    /** The secret with these 32 bytes (copied), e.g. as received from the authority. */
    public static GroupSecret of(long epoch, byte[] secret) {
        if (epoch < 0) {
            throw new IllegalArgumentException("a group secret epoch is >= 0, got " + epoch);
        }
        if (secret == null || secret.length != LENGTH) {
            throw new IllegalArgumentException("a group secret is " + LENGTH + " bytes, got "
                    + (secret == null ? "null" : secret.length));
        }
        return new GroupSecret(epoch, secret.clone());
    }

    /** A new random secret for the next epoch: what the authority hands out after removing a member. */
    public GroupSecret rotate() {
        return random(Math.addExact(epoch, 1));
    }

    public long epoch() {
        return epoch;
    }

    /** The raw secret (a copy); only for handing it to a member over an authenticated channel or storing it. */
    public byte[] bytes() {
        return secret.clone();
    }

    /**
     * Derives {@code length} bytes for the job named by {@code label} (e.g.
     * {@code "savesync/relay-token/v1"}): HKDF-SHA256 with the fixed salt and the label as info.
     */
    public byte[] derive(String label, int length) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("a derivation label must not be empty: name the job the key is for");
        }
        if (length < 1 || length > MAX_DERIVED_LENGTH) {
            throw new IllegalArgumentException("derived length must be 1.." + MAX_DERIVED_LENGTH + ", got " + length);
        }
        return hkdf(HKDF_SALT.getBytes(StandardCharsets.US_ASCII), secret, label.getBytes(StandardCharsets.UTF_8), length);
    }

    /** RFC 5869 HKDF-SHA256 (extract then expand). An empty salt means 32 zero bytes, as the RFC says. */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupSecret g && g.epoch == epoch && MessageDigest.isEqual(secret, g.secret);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch);
    }

    @Override
    public String toString() {
        return "GroupSecret[epoch=" + epoch + ", secret=(hidden)]";
    }
}
