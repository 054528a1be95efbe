package org.savesync.server.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.TreeSet;

/**
 * The answers to requests that authentication or a role rule refuses, in the API's error
 * envelope {@code {"status":"error","error":"…"}}: 401 with {@code WWW-Authenticate: Bearer …}
 * (no credential, or one that does not verify) and 403 (a good credential without the role).
 * Installed as a failure handler on the main router, so it answers for refusals of Quarkus'
 * HTTP security layer (proactive authentication, path permissions), whatever the route; the
 * REST exception mappers use the same words for refusals of the resources' role rules.
 */
@ApplicationScoped
public class AuthReplies {
    private final AuthMode mode;

    AuthReplies(AuthMode mode) {
        this.mode = mode;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(this::handle);
    }

    private void handle(RoutingContext rc) {
        Throwable f = rc.failure();
        if (rc.response().headWritten()
                || !(f instanceof AuthenticationFailedException || f instanceof UnauthorizedException
                || f instanceof ForbiddenException)) {
            rc.next();
            return;
        }
        boolean forbidden = f instanceof ForbiddenException;
        SecurityIdentity who = rc.user() instanceof QuarkusHttpUser u ? u.getSecurityIdentity() : null;
        String message = forbidden ? forbidden(who)
                : unauthorized(rc.request().getHeader(HttpHeaders.AUTHORIZATION) != null);
        if (answeredAsGrpc(rc, forbidden, message)) {
            return;
        }
        var response = rc.response().setStatusCode(forbidden ? 403 : 401)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (!forbidden) {
            response.putHeader("WWW-Authenticate", challenge());
        }
        response.end(body(message));
    }

    /**
     * A gRPC call refused before it reached its service gets a trailers-only gRPC answer,
     * UNAUTHENTICATED (16) or PERMISSION_DENIED (7), with the same words; returns false (and
     * writes nothing) for any other request.
     */
    boolean answeredAsGrpc(RoutingContext rc, boolean forbidden, String message) {
        String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.startsWith("application/grpc")) {
            return false;
        }
        if (!rc.response().headWritten()) {
            rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/grpc")
                    .putHeader("grpc-status", forbidden ? "7" : "16").putHeader("grpc-message", grpcMessage(message));
        }
        if (!rc.response().ended()) {
            rc.response().end();
        }
        return true;
    }

    /** {@code message} percent-encoded as gRPC's {@code grpc-message} header wants it (UTF-8, printable ASCII but '%' kept). */
    static String grpcMessage(String message) {
        StringBuilder sb = new StringBuilder();
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b <= 0x7e && b != '%') {
                sb.append((char) b);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    /** {@code {"status":"error","error":message}}. */
    Buffer body(String message) {
        return Buffer.buffer(new JsonObject().put("status", "error").put("error", message).encode());
    }

    /** The {@code WWW-Authenticate} value of a 401. */
    public String challenge() {
        return LocalTokenMechanism.CHALLENGE;
    }

    /** Why a request without a good credential is refused, and what to send instead. */
    public String unauthorized(boolean credentialSent) {
        return (credentialSent ? "the credential in the Authorization header was refused"
                + (mode.localToken().isPresent() ? " (it is not this hub's local admin token)"
                : " (not a valid, unexpired access token of the configured issuer and audience)")
                : "this request needs authentication") + "; " + mode.howToAuthenticate();
    }

    /** Why an authenticated caller may not do this. */
    public String forbidden(SecurityIdentity who) {
        String whom = who == null || who.isAnonymous() ? "the caller"
                : "'" + who.getPrincipal().getName() + "' (roles: " + String.join(", ", new TreeSet<>(who.getRoles()))
                + ")";
        return whom + " may not do this: reading the admin API takes the role " + Roles.VIEWER + " or " + Roles.ADMIN
                + ", changing it takes " + Roles.ADMIN;
    }
}
