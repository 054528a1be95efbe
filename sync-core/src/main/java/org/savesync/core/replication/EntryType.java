package org.savesync.core.replication;

/** What an entry says a path is now. {@link #code()} is its byte in the signed layout; codes are never reused. */
public enum EntryType {
    FILE(1),
    DIRECTORY(2),
    SYMLINK(3),
    /** The path was deleted (a tombstone). */
    DELETED(4);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this wire code; {@link IllegalArgumentException} for an unknown one. */
    public static EntryType fromCode(int code) {
        for (EntryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown entry type code " + code + " (made by a newer SaveSync?)");
    }
}
