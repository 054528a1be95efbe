package org.savesync.server.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer TOKEN} on every request to the main HTTP interface (the
 * admin API, and gRPC services on the same server) in local admin token mode and has
 * {@link LocalTokenIdentityProvider} check it. A request without an {@code Authorization}
 * header stays anonymous (the resources' role rules then refuse it); any other scheme, or a
 * bearer token that is not the admin token, fails with 401. In OIDC mode it steps aside and
 * Quarkus OIDC's bearer mechanism reads the header. It runs before OIDC's so that OIDC never
 * sees the local token.
 */
@ApplicationScoped
public class LocalTokenMechanism implements HttpAuthenticationMechanism {
    static final String SCHEME = "Bearer";
    /** {@code WWW-Authenticate} of every 401. */
    static final String CHALLENGE = SCHEME + " realm=\"savesync-hub\"";
    /** Longest Authorization header looked at: far above any JWT an issuer sends, far below Vert.x' header limit. */
    static final int MAX_HEADER = 16 * 1024;

    private final AuthMode mode;
    private final AuthReplies replies;

    LocalTokenMechanism(AuthMode mode, AuthReplies replies) {
        this.mode = mode;
        this.replies = replies;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (mode.localToken().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        String token = bearerToken(header);
        if (token == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the Authorization header is not 'Bearer TOKEN'"));
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new LocalTokenRequest(token),
                context));
    }

    /** The token of {@code Bearer TOKEN} (scheme in any case, one or more spaces), or null for anything else. */
    static String bearerToken(String header) {
        if (header.length() > MAX_HEADER || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) || header.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        String token = header.substring(SCHEME.length()).strip();
        return token.isEmpty() || token.indexOf(' ') >= 0 ? null : token;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    /**
     * The 401 Quarkus sends when a path permission or role rule meets an anonymous caller: the
     * challenge, and the envelope saying what to send (Quarkus ends the response).
     */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        String why = replies.unauthorized(context.request().getHeader(HttpHeaders.AUTHORIZATION) != null);
        if (replies.answeredAsGrpc(context, false, why)) {
            return Uni.createFrom().item(true);
        }
        Buffer body = replies.body(why);
        context.response().setStatusCode(401).putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length())).write(body);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(LocalTokenRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
