package org.savesync.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.savesync.server.testing.Jwt;
import org.savesync.server.testing.Keycloak;
import org.savesync.server.testing.TokenRefusedException;

/**
 * The real Keycloak of {@code deploy/keycloak} (started by the harness exactly as a developer
 * starts it) and the savesync realm: the tokens it issues carry what the hub checks (issuer,
 * audience {@code savesync-hub}, realm roles in {@code realm_access.roles}), and the bad tokens
 * the hub's auth tests use are bad in the way they claim to be.
 */
class KeycloakIT {
    /** An S256 challenge: BASE64URL(SHA-256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")), RFC 7636 B. */
    private static final String PKCE_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static Keycloak keycloak;

    @BeforeAll
    static void start() {
        keycloak = Keycloak.get();
    }

    @Test
    void theDiscoveryDocumentNamesTheLoopbackIssuer() {
        assertThat(keycloak.issuer().toString()).matches("http://127\\.0\\.0\\.1:\\d+/realms/savesync");
        var discovery = keycloak.discovery(Keycloak.REALM);
        assertThat(discovery.path("issuer").asText()).isEqualTo(keycloak.issuer().toString());
        assertThat(discovery.path("token_endpoint").asText()).startsWith(keycloak.issuer() + "/");
        assertThat(discovery.path("code_challenge_methods_supported").toString()).contains("\"S256\"");
    }

    @Test
    void anAdminTokenCarriesSyncAdminAndTheHubAudience() {
        Jwt admin = Jwt.decode(keycloak.adminToken());
        assertThat(admin.issuer()).isEqualTo(keycloak.issuer().toString());
        assertThat(admin.realmRoles()).contains("sync-admin", "sync-viewer");
        assertThat(admin.audience()).contains(Keycloak.HUB_AUDIENCE);
        assertThat(admin.claims().path("preferred_username").asText()).isEqualTo("admin");
        assertThat(admin.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void aViewerTokenLacksSyncAdmin() {
        Jwt viewer = Jwt.decode(keycloak.viewerToken());
        assertThat(viewer.realmRoles()).contains("sync-viewer").doesNotContain("sync-admin");
        assertThat(viewer.audience()).contains(Keycloak.HUB_AUDIENCE);
        assertThat(viewer.issuer()).isEqualTo(keycloak.issuer().toString());
    }

    @Test
    void theAdminToolsClientCredentialsTokenHasSyncAdmin() {
        Jwt tool = Jwt.decode(keycloak.clientCredentialsToken());
        assertThat(tool.realmRoles()).contains("sync-admin");
        assertThat(tool.audience()).contains(Keycloak.HUB_AUDIENCE);
        assertThat(tool.authorizedParty()).isEqualTo(Keycloak.ADMIN_CLI);
        assertThat(tool.claims().path("preferred_username").asText()).isEqualTo("service-account-savesync-admin-cli");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> keycloak.passwordToken(Keycloak.ADMIN_USER, "not-the-password"))
                .isInstanceOfSatisfying(TokenRefusedException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_grant");
                    assertThat(e.status()).isBetween(400, 401);
                    assertThat(e.description()).containsIgnoringCase("invalid user credentials");
                });
        assertThatThrownBy(() -> keycloak.passwordToken("nobody", Keycloak.ADMIN_PASSWORD))
                .isInstanceOf(TokenRefusedException.class).hasMessageContaining("invalid_grant");
    }

    @Test
    void anotherRealmsTokenHasTheOtherIssuerAndIsNotActiveInTheSavesyncRealm() {
        String token = keycloak.otherRealmAdminToken();
        Jwt other = Jwt.decode(token);
        assertThat(other.issuer()).isEqualTo(keycloak.otherIssuer().toString()).isNotEqualTo(keycloak.issuer().toString());
        assertThat(other.realmRoles()).as("otherwise a perfect admin token").contains("sync-admin");
        assertThat(other.audience()).contains(Keycloak.HUB_AUDIENCE);
        assertThat(keycloak.introspect(Keycloak.OTHER_REALM, token).path("active").asBoolean()).isTrue();
        assertThat(keycloak.introspect(Keycloak.REALM, token).path("active").asBoolean())
                .as("the savesync realm does not take the other realm's token").isFalse();
    }

    @Test
    void anExpiredTokenIsPastItsExpAndNoLongerActive() {
        String token = keycloak.expiredAdminToken();
        Jwt expired = Jwt.decode(token);
        assertThat(expired.expiresAt()).isBefore(Instant.now());
        assertThat(expired.issuer()).as("from the right realm: only its age is wrong").isEqualTo(keycloak.issuer().toString());
        assertThat(expired.realmRoles()).contains("sync-admin");
        assertThat(expired.audience()).contains(Keycloak.HUB_AUDIENCE);
        assertThat(keycloak.introspect(Keycloak.REALM, token).path("active").asBoolean()).isFalse();
    }

    @Test
    void theConsoleTakesALoopbackRedirectOnAnyPortOnlyWithAnS256Challenge() {
        assertThat(keycloak.authorize("http://127.0.0.1:43123/callback", PKCE_CHALLENGE).status())
                .as("RFC 8252: a loopback redirect on a port chosen at run time").isEqualTo(200);
        assertThat(keycloak.authorize("http://localhost:5173/admin/", PKCE_CHALLENGE).status()).isEqualTo(200);
        assertThat(keycloak.authorize("http://console.attacker.example/callback", PKCE_CHALLENGE).status())
                .as("a redirect off this machine").isEqualTo(400);
        assertThat(keycloak.authorize("http://127.0.0.1.attacker.example/callback", PKCE_CHALLENGE).status())
                .isEqualTo(400);
        Keycloak.AuthorizationAnswer noPkce = keycloak.authorize("http://127.0.0.1:43123/callback", null);
        assertThat(noPkce.status()).isEqualTo(302);
        assertThat(noPkce.location()).startsWith("http://127.0.0.1:43123/callback?error=invalid_request")
                .contains("code_challenge_method");
    }
}
