package org.savesync.server.admin;

/**
 * An admin request the hub refuses, with a {@link Code} that each API maps to its own status
 * in one place (gRPC: {@code grpc.AdminStatus}; REST: {@code rest.ErrorMappers}) and a message
 * that says what was wrong and what to do.
 */
public class AdminException extends RuntimeException {
    /** Why the request is refused. */
    public enum Code {
        /** A field is malformed or out of range; the message names it and the allowed values. */
        INVALID_ARGUMENT,
        /** No such group (or no such thing in it). */
        NOT_FOUND,
        /** The thing changed since the caller read it (an expected version that is not current). */
        ABORTED,
        /** The hub's state does not allow it now (e.g. a group with as many live invites as it keeps). */
        FAILED_PRECONDITION
    }

    private final Code code;

    public AdminException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    /** {@code field} is wrong: {@code problem} says how and what is allowed. */
    public static AdminException invalid(String field, String problem) {
        return new AdminException(Code.INVALID_ARGUMENT, field + ": " + problem);
    }

    public static AdminException notFound(String message) {
        return new AdminException(Code.NOT_FOUND, message);
    }

    public static AdminException aborted(String message) {
        return new AdminException(Code.ABORTED, message);
    }

    public static AdminException failedPrecondition(String message) {
        return new AdminException(Code.FAILED_PRECONDITION, message);
    }
}
