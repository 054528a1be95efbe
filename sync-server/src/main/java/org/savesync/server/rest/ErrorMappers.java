package org.savesync.server.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.savesync.server.admin.AdminException;
import org.savesync.server.auth.AuthReplies;
import org.savesync.server.persistence.HubStorageException;

/** Maps failures to {@code {"status":"error","error":"…"}} with the HTTP status that fits. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @Inject
    AuthReplies auth;
    @Inject
    SecurityIdentity identity;

    /** A resource's role rule met an anonymous caller (or a credential that failed late). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, jakarta.ws.rs.core.HttpHeaders headers) {
        return Response.fromResponse(error(401, auth.unauthorized(headers.getHeaderString("Authorization") != null)))
                .header("WWW-Authenticate", auth.challenge()).build();
    }

    /** A resource's role rule met a caller without the role. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return error(403, auth.forbidden(identity));
    }

    @ServerExceptionMapper
    public Response problem(ApiProblem e) {
        return error(e.httpStatus(), e.getMessage());
    }

    /** A refusal of the admin service layer (both APIs): 400, 404 or 409 (ABORTED, FAILED_PRECONDITION) by its code. */
    @ServerExceptionMapper
    public Response admin(AdminException e) {
        return error(httpStatus(e.code()), e.getMessage());
    }

    static int httpStatus(AdminException.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT -> 400;
            case NOT_FOUND -> 404;
            case ABORTED, FAILED_PRECONDITION -> 409;
        };
    }

    @ServerExceptionMapper
    public Response storage(HubStorageException e) {
        LOG.error("admin API request failed in the database", e);
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "no such API path; see /q/openapi for the admin API";
            case 405 -> "method not allowed on this path; see /q/openapi for the admin API";
            default -> e.getMessage();
        };
        return error(status, message);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("admin API request failed", e);
        return error(500, "internal error: " + e);
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(message)).build();
    }
}
