package org.savesync.agent.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.savesync.agent.service.ApiProblem;
import org.savesync.core.failure.Failure;

/** Maps failures to {@code {"status":"error","error":"…"}} with the HTTP status that fits. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response problem(ApiProblem e) {
        return Response.status(e.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiResponse.error(e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "no such API path; see GET /status, /peers, /groups";
            case 405 -> "method not allowed on this path";
            case 415 -> "send JSON (Content-Type: application/json)";
            default -> e.getMessage();
        };
        if (status == 400 && e.getCause() != null) {
            message = "bad request body: " + Failure.describe(e.getCause());
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ApiResponse.error(message)).build();
    }

    @ServerExceptionMapper
    public Response json(com.fasterxml.jackson.core.JsonProcessingException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiResponse.error("bad request body: " + e.getOriginalMessage())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("local API request failed", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiResponse.error("internal error: " + e)).build();
    }
}
