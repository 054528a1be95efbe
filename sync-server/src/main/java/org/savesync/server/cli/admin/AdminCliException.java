package org.savesync.server.cli.admin;

/** A failure of the admin command line, with a message that says what to do; printed as one line. */
public final class AdminCliException extends RuntimeException {
    public AdminCliException(String message) {
        super(message);
    }
}
