package org.savesync.server.persistence;

import org.savesync.core.failure.Failure;
import org.savesync.core.membership.GroupId;

/**
 * Reading or writing the hub's database failed. A failed write changed nothing (neither the
 * database nor the in-memory index), so the caller may retry the same call.
 */
public class HubStorageException extends RuntimeException {
    private final transient GroupId group;
    private final String operation;

    /**
     * @param group     the group concerned, or null for the node registry or the chunk catalog
     * @param operation what was being done ("store 1000 entries", "load")
     * @param detail    why it failed and what to do
     */
    public HubStorageException(GroupId group, String operation, String detail, Throwable cause) {
        super((group == null ? "hub database" : "index of group " + group) + ": " + operation + " failed: " + detail,
                cause);
        this.group = group;
        this.operation = operation;
    }

    /** A write or read that failed in the database (nothing was changed). */
    public static HubStorageException databaseFailure(GroupId group, String operation, Exception e) {
        String state = sqlState(e);
        if (state != null && state.startsWith("42")) { // syntax error or access rule violation
            return new HubStorageException(group, operation, rootMessage(e) + "; the database's tables do not match"
                    + " this hub (were the Flyway migrations in db/migration applied, by this hub's version?)", e);
        }
        return new HubStorageException(group, operation, rootMessage(e) + "; check that PostgreSQL is running and"
                + " reachable and its disk is not full (nothing was changed, the call may be retried)", e);
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /**
     * A write the database refused as breaking a constraint (SQL state class 23): a duplicate
     * key or an invalid value; retrying the same write fails again.
     */
    static HubStorageException refused(GroupId group, String operation, String hint, RuntimeException e) {
        return new HubStorageException(group, operation, "the database refused it (" + rootMessage(e) + "); nothing"
                + " was changed. " + hint, e);
    }

    /** Whether {@code e} was caused by a constraint violation in the database. */
    static boolean isConstraintViolation(Throwable e) {
        String state = sqlState(e);
        return state != null && state.startsWith("23");
    }

    public GroupId group() {
        return group;
    }

    public String operation() {
        return operation;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Failure.describe(t);
    }
}
