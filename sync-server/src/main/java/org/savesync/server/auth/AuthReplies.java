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
        var response = rc.response().setStatusCode(forbidden ? 403 : 401)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (!forbidden) {
            response.putHeader("WWW-Authenticate", challenge());
        }
        response.end(body(message));
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
