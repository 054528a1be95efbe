package org.savesync.core.membership;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.savesync.core.identity.Base32;

/**
 * The random part of an invite: 24 bytes, whose holder may join the group once (or until
 * the invite expires, for reusable invites). Text form is lowercase base32 without padding
 * (39 characters). It is a bearer credential for a short time: {@link #toString()} shows
 * only a prefix, so it does not end up in logs whole; {@link #text()} gives all of it.
 */
public final class InviteToken {
    public static final int LENGTH = 24;
    public static final int TEXT_LENGTH = 39;
    /** Length of {@link #id()}: 20 base32 characters, 100 bits of a SHA-256. */
    public static final int ID_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;

    private InviteToken(byte[] token) {
        this.token = token;
    }

    public static InviteToken random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new InviteToken(b);
    }

    public static InviteToken of(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("an invite token is " + LENGTH + " bytes, got "
                    + (raw == null ? "null" : raw.length));
        }
        return new InviteToken(raw.clone());
    }

    /** Parses the 39-character base32 text form. */
    public static InviteToken parse(String text) {
        if (text == null || text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("an invite token is " + TEXT_LENGTH + " base32 characters, got "
                    + (text == null ? "null" : text.length()));
        }
        return of(Base32.decode(text));
    }

    public byte[] bytes() {
        return token.clone();
    }

    /** The whole token in base32: only for putting it into a ticket. */
    public String text() {
        return Base32.encode(token);
    }

    /**
     * The invite's public id: the first {@value #ID_LENGTH} base32 characters of the token's
     * SHA-256. It names the invite in lists, logs and revocations, and is what a store keeps;
     * the token cannot be recovered from it.
     */
    public String id() {
        try {
            return Base32.encode(MessageDigest.getInstance("SHA-256").digest(token)).substring(0, ID_LENGTH);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison, since tokens are secrets. */
    @Override
    public boolean equals(Object o) {
        return o instanceof InviteToken t && MessageDigest.isEqual(token, t.token);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(token);
    }

    @Override
    public String toString() {
        return "InviteToken[" + text().substring(0, 6) + "…]";
    }
}
