package org.savesync.core.membership;

import java.security.SecureRandom;
import java.util.Arrays;
import org.savesync.core.identity.Base32;

/**
 * A group's id: 16 random bytes. Text form is RFC 4648 base32, lowercase, no padding
 * (26 characters). Ordering compares the raw bytes unsigned.
 */
public final class GroupId implements Comparable<GroupId> {
    public static final int LENGTH = 16;
    public static final int TEXT_LENGTH = 26;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] id;
    private final String text;

    private GroupId(byte[] id) {
        this.id = id;
        this.text = Base32.encode(id);
    }

    /** A fresh id for a new group. */
    public static GroupId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new GroupId(b);
    }

    /** The group id with these 16 raw bytes (copied). */
    public static GroupId of(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException("a group id is " + LENGTH + " bytes, got "
                    + (raw == null ? "null" : raw.length));
        }
        return new GroupId(raw.clone());
    }

    /** Parses the 26-character base32 text form (upper case is accepted too). */
    public static GroupId parse(String text) {
        if (text == null || text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("a group id is " + TEXT_LENGTH + " base32 characters, got "
                    + (text == null ? "null" : text.length() + ": '" + text + "'"));
        }
        return of(Base32.decode(text));
    }

    public byte[] bytes() {
        return id.clone();
    }

    @Override
    public int compareTo(GroupId o) {
        return Arrays.compareUnsigned(id, o.id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupId g && Arrays.equals(id, g.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return text;
    }
}
