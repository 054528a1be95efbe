package org.savesync.server.rest;

/**
 * A request the API refuses, with the HTTP status that says why and a message that says what
 * to do; {@link ErrorMappers} turns it into an {@link ApiError}.
 */
public class ApiProblem extends RuntimeException {
    private final int httpStatus;

    public ApiProblem(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** 404: no such group, path or node. */
    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, message);
    }

    /** 400: a malformed id or path. */
    public static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    /** 409: the file is known but the hub does not hold all of its chunks yet. */
    public static ApiProblem incomplete(String message) {
        return new ApiProblem(409, message);
    }

    /** 500: the replica is damaged (a chunk of a complete file is missing or does not verify). */
    public static ApiProblem damaged(String message) {
        return new ApiProblem(500, message);
    }
}
