package org.savesync.core.membership;

/**
 * What a member may do in a group. The {@link #code()} is the role's byte in the signed
 * member list; codes are protocol constants and are never reused.
 */
public enum Role {
    /** Created the group (or was made an owner); may write. */
    OWNER(1),
    /** An ordinary member; may write. */
    MEMBER(2),
    /** Receives the folder but its changes are refused by everyone. */
    READER(3),
    /** The sync server: a full replica and backup; may write (it forwards and restores). */
    HUB(4);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether entries authored by a member with this role are accepted. */
    public boolean canWrite() {
        return this != READER;
    }

    /** The role with this wire code; {@link IllegalArgumentException} for an unknown one. */
    public static Role fromCode(int code) {
        for (Role r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role code " + code + " (made by a newer SaveSync?)");
    }
}
