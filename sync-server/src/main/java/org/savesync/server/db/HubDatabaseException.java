package org.savesync.server.db;

/** The hub's database cannot be opened; the message says why and what to do. */
public final class HubDatabaseException extends RuntimeException {
    public HubDatabaseException(String message) {
        super(message);
    }

    public HubDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
