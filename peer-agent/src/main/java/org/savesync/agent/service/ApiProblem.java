package org.savesync.agent.service;

/**
 * A request the agent cannot carry out, with the HTTP status that says why; the REST layer
 * maps it to {@code {"status":"error","error":message}}.
 */
public abstract class ApiProblem extends RuntimeException {
    private final int httpStatus;

    protected ApiProblem(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The request itself is wrong (400). */
    public static final class BadRequest extends ApiProblem {
        public BadRequest(String message) {
            super(400, message);
        }
    }

    /** Someone refused it: the token, the origin or the group's authority (403). */
    public static final class Forbidden extends ApiProblem {
        public Forbidden(String message) {
            super(403, message);
        }
    }

    /** No such group (404). */
    public static final class NotFound extends ApiProblem {
        public NotFound(String message) {
            super(404, message);
        }
    }

    /** It clashes with the agent's state (409). */
    public static final class Conflict extends ApiProblem {
        public Conflict(String message) {
            super(409, message);
        }
    }

    /** A peer or the folder did not answer (503). */
    public static final class Unavailable extends ApiProblem {
        public Unavailable(String message) {
            super(503, message);
        }
    }
}
