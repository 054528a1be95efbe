package org.savesync.server.auth;

import java.util.Map;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * The hub with OIDC on, on its embedded PostgreSQL. Instead of an issuer's URL (whose keys Quarkus
 * would fetch) the tenant is switched on by hand with the issuer's public key (the pair of
 * {@code auth/oidc-test-private.pem}, which the tests sign with) and its name, so nothing is
 * contacted. Everything else (service app, audience, role claim) is the hub's own configuration.
 */
public class OidcModeProfile extends EmbeddedPostgresProfile {
    static final String ISSUER = "http://127.0.0.1:9/realms/savesync";
    static final String PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk4GkwYiwd7qwQK10M+Nv6pRj1Lt3lmLJRZwKd8AD2/OGZASoaST1xFAuhP3LMHd+uehlN80s/StvLKlwdyryYoIGOlIQ4oz14Pj1sa/7IV020j6EppyGfv2BVkiVHvfetZv6s4ZrWJkBqQ2WS04qWtqwF66esNNYhw2ceUPYpFQoy5K+Z7lNpB277lHSAE5zl2v4k5YG4PvNT65aXovHVsQTiUyS6q6G/DZFf5wtds1WK5mOzXqMm5/FEIZudApRv2GUzPGQPJDZuGAn3tKgD+bPCcBQgtwCRUwp/VM3aujwTdmDcp4YuqFGWh9DE0zlMIbbJoeb7xEaGOfU4/k1WQIDAQAB";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.public-key", PUBLIC_KEY,
                "quarkus.oidc.token.issuer", ISSUER);
    }
}
