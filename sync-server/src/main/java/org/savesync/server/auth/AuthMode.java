package org.savesync.server.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.savesync.server.config.HubConfig;

/**
 * How callers of the main HTTP interface authenticate, decided once at startup. When OIDC's
 * default tenant is on ({@code quarkus.oidc.tenant-enabled}, which {@link OidcSwitch} makes true
 * exactly when {@code quarkus.oidc.auth-server-url} names an issuer), only the issuer's bearer
 * access tokens are taken (Quarkus OIDC checks them; the local admin token file is not read).
 * When it is off, OIDC does nothing (no discovery, no outgoing connection) and the hub's
 * {@link AdminToken} is the one credential.
 */
@ApplicationScoped
public class AuthMode {
    private final Optional<String> issuer;
    private final List<String> audience;
    private final AdminToken localToken;

    AuthMode(HubConfig config,
             @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc,
             @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> serverUrl,
             @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> tokenIssuer,
             @ConfigProperty(name = "quarkus.oidc.token.audience") Optional<List<String>> audience) {
        this.issuer = !oidc ? Optional.empty()
                : Optional.of(serverUrl.or(() -> tokenIssuer).map(String::strip).filter(s -> !s.isEmpty())
                .orElse("configured in quarkus.oidc.*"));
        this.audience = audience.orElse(List.of());
        this.localToken = this.issuer.isPresent() ? null
                : AdminToken.loadOrCreate(config.dataDir().toAbsolutePath().normalize());
    }

    /** Makes the local admin token file (when in that mode) as the application starts, not at the first request. */
    void onStart(@Observes StartupEvent ev) {
        localToken();
    }

    /** The OIDC issuer whose tokens are taken; empty in local admin token mode. */
    public Optional<String> issuer() {
        return issuer;
    }

    /** The audiences an OIDC token must name ({@code quarkus.oidc.token.audience}). */
    public List<String> audience() {
        return audience;
    }

    /** The local admin token; empty when an OIDC issuer is configured. */
    public Optional<AdminToken> localToken() {
        return Optional.ofNullable(localToken);
    }

    /**
     * Prints where the credentials come from, after the {@code hub:} line: the path of the local
     * admin token (never its value), or the OIDC issuer.
     */
    public void announce(PrintStream out) {
        if (localToken != null) {
            out.println("admin token: " + localToken.file());
        } else {
            out.println("admin API: OIDC bearer tokens from " + issuer.orElseThrow());
        }
        out.flush();
    }

    /** What a caller without a (good) credential is told to send. */
    String howToAuthenticate() {
        if (localToken != null) {
            return "send 'Authorization: Bearer TOKEN' with the hub's local admin token (the file " + AdminToken.FILE
                    + " in its data dir)";
        }
        return "send 'Authorization: Bearer TOKEN' with an access token from the OIDC issuer " + issuer.orElseThrow()
                + (audience.isEmpty() ? "" : " for the audience " + String.join(", ", audience));
    }
}
