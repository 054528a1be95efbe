package org.savesync.server.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns the local admin token into the identity {@value #PRINCIPAL} with the roles
 * {@link Roles#ADMIN} and {@link Roles#VIEWER}; any other token fails. Refuses everything when
 * an OIDC issuer is configured (then there is no local token).
 */
@ApplicationScoped
public class LocalTokenIdentityProvider implements IdentityProvider<LocalTokenRequest> {
    /** The principal name of the local admin token. */
    public static final String PRINCIPAL = "local-admin";

    private final AuthMode mode;

    LocalTokenIdentityProvider(AuthMode mode) {
        this.mode = mode;
    }

    @Override
    public Class<LocalTokenRequest> getRequestType() {
        return LocalTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(LocalTokenRequest request, AuthenticationRequestContext context) {
        boolean ok = mode.localToken().map(t -> t.matches(request.token())).orElse(false);
        if (!ok) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the bearer token is not this hub's local admin token"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(PRINCIPAL))
                .addRole(Roles.ADMIN)
                .addRole(Roles.VIEWER)
                .build());
    }
}
