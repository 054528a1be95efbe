package org.savesync.agent.persistence;

import org.savesync.core.membership.GroupId;

/**
 * The agent's index database failed or holds rows it cannot read. When thrown by a write,
 * nothing of that write was stored (the transaction was rolled back) and the in-memory view
 * is unchanged, so the caller may retry.
 */
public final class IndexStorageException extends RuntimeException {
    private final GroupId group;
    private final String operation;

    public IndexStorageException(GroupId group, String operation, String problem, Throwable cause) {
        super((group == null ? "index database" : "index of group " + group) + ": " + operation + " failed: " + problem, cause);
        this.group = group;
        this.operation = operation;
    }

    /** The group whose index was being read or written; null for an operation on all groups. */
    public GroupId group() {
        return group;
    }

    /** What the store was doing, e.g. {@code "store 120 entries"} or {@code "load"}. */
    public String operation() {
        return operation;
    }
}
