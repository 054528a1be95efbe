package org.savesync.server.rest;

/** The body of every failed request: {@code {"status":"error","error":"…"}}. */
public record ApiError(String status, String error) {
    public static ApiError of(String message) {
        return new ApiError("error", message);
    }
}
