package org.savesync.agent.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Every answer of the local API: {@code {"status":"success","data":…}} or {@code {"status":"error","error":"…"}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse(String status, Object data, String error) {

    public static ApiResponse ok(Object data) {
        return new ApiResponse("success", data, null);
    }

    public static ApiResponse error(String message) {
        return new ApiResponse("error", null, message);
    }
}
