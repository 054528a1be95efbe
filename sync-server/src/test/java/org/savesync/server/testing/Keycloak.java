package org.savesync.server.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real Keycloak of a test run: ONE per JVM, started on first use through
 * {@code deploy/keycloak/start} on a free loopback port with the savesync realm
 * ({@code deploy/keycloak/savesync-realm.json}) and a second, test-only realm
 * ({@code keycloak/other-realm.json}: the same roles, clients, users and dev passwords under
 * another issuer); stopped by a shutdown hook through {@code deploy/keycloak/stop}.
 *
 * <p>It hands out the tokens the hub's auth tests need: good ones (an admin's, a viewer's, the
 * admin tool's client-credentials token) and bad ones (another realm's, an expired one).
 * The credentials are the published development values of the realm files, documented in
 * docs/keycloak.md.
 */
public final class Keycloak {
    /** The hub's realm. */
    public static final String REALM = "savesync";
    /** The test-only realm whose tokens the hub must refuse. */
    public static final String OTHER_REALM = "savesync-other";
    /** The audience every savesync token carries and the hub checks. */
    public static final String HUB_AUDIENCE = "savesync-hub";
    /** The hub's own client (the audience): it may introspect tokens issued for the hub. */
    public static final String HUB_CLIENT = "savesync-hub";
    /** Its development secret. */
    public static final String HUB_CLIENT_SECRET = "savesync-hub-dev-secret";
    /** The confidential client of the admin tools (service account with {@code sync-admin}). */
    public static final String ADMIN_CLI = "savesync-admin-cli";
    /** Its development secret. */
    public static final String ADMIN_CLI_SECRET = "savesync-admin-cli-dev-secret";
    /** The development user with {@code sync-admin} and {@code sync-viewer}. */
    public static final String ADMIN_USER = "admin";
    /** Its development password. */
    public static final String ADMIN_PASSWORD = "admin-dev-password";
    /** The development user with {@code sync-viewer} only. */
    public static final String VIEWER_USER = "viewer";
    /** Its development password. */
    public static final String VIEWER_PASSWORD = "viewer-dev-password";
    /**
     * A client this harness adds to the savesync realm (through the admin API, so the realm file
     * holds nothing test-only) whose access tokens live {@link #SHORT_LIFESPAN}.
     */
    static final String SHORT_LIVED_CLIENT = "savesync-test-short-lived";
    /** Lifespan of the short-lived client's access tokens. */
    static final Duration SHORT_LIFESPAN = Duration.ofSeconds(1);
    /** How long {@link #expiredAdminToken()} waits for its token to pass its {@code exp}. */
    static final Duration EXPIRY_DEADLINE = Duration.ofSeconds(30);
    private static final String MASTER_ADMIN = "savesync-test-master-admin";

    private static Keycloak instance;

    private final KeycloakProcess process;
    private final KeycloakHttp http;
    private final String masterPassword;
    private boolean shortLivedClient;

    private Keycloak(KeycloakProcess process, String masterPassword) {
        this.process = process;
        this.http = new KeycloakHttp(process.base());
        this.masterPassword = masterPassword;
    }

    /** This JVM's Keycloak, started on the first call (a minute or more; it prints progress). */
    public static synchronized Keycloak get() {
        if (instance == null) {
            // A temporary admin of the master realm, known only to this JVM: it lets the harness
            // add the short-lived client without a test-only client in the realm file.
            String masterPassword = UUID.randomUUID().toString();
            KeycloakProcess p = KeycloakProcess.start(List.of("/keycloak/other-realm.json"),
                    Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", MASTER_ADMIN, "KC_BOOTSTRAP_ADMIN_PASSWORD", masterPassword));
            Runtime.getRuntime().addShutdownHook(new Thread(p::stop, "keycloak-stop"));
            instance = new Keycloak(p, masterPassword);
        }
        return instance;
    }

    /** The savesync realm's issuer, {@code http://127.0.0.1:PORT/realms/savesync}. */
    public URI issuer() {
        return process.issuer();
    }

    /** The test-only other realm's issuer. */
    public URI otherIssuer() {
        return realmUri(OTHER_REALM);
    }

    /** The discovery document of {@code realm}. */
    public JsonNode discovery(String realm) {
        KeycloakHttp.Answer a = http.get("/realms/" + realm + "/.well-known/openid-configuration");
        if (a.status() != 200) {
            throw new IllegalStateException("no discovery document for realm " + realm + ": HTTP " + a.status());
        }
        return a.json();
    }

    /**
     * A savesync access token for a user by the password grant through {@link #ADMIN_CLI};
     * throws {@link TokenRefusedException} when Keycloak refuses (e.g. a wrong password).
     */
    public String passwordToken(String user, String password) {
        return passwordToken(REALM, user, password);
    }

    /** An access token of user {@link #ADMIN_USER}: roles sync-admin and sync-viewer. */
    public String adminToken() {
        return passwordToken(ADMIN_USER, ADMIN_PASSWORD);
    }

    /** An access token of user {@link #VIEWER_USER}: role sync-viewer only. */
    public String viewerToken() {
        return passwordToken(VIEWER_USER, VIEWER_PASSWORD);
    }

    /** The admin tool's own token (client credentials of {@link #ADMIN_CLI}): role sync-admin. */
    public String clientCredentialsToken() {
        return http.grant(REALM, Map.of("grant_type", "client_credentials", "client_id", ADMIN_CLI,
                "client_secret", ADMIN_CLI_SECRET));
    }

    /**
     * An admin token from the OTHER realm: the same user, roles and audience, signed by another
     * realm's key and carrying {@link #otherIssuer()}. The hub must refuse it.
     */
    public String otherRealmAdminToken() {
        return passwordToken(OTHER_REALM, ADMIN_USER, ADMIN_PASSWORD);
    }

    /**
     * An admin token of the savesync realm, right in every way but that its {@code exp} has
     * passed: issued to {@link #SHORT_LIVED_CLIENT} and returned once its second of life is
     * over (waits with a deadline of {@link #EXPIRY_DEADLINE}). The hub must refuse it.
     */
    public String expiredAdminToken() {
        ensureShortLivedClient();
        String token = http.grant(REALM, Map.of("grant_type", "password", "client_id", SHORT_LIVED_CLIENT,
                "username", ADMIN_USER, "password", ADMIN_PASSWORD, "scope", "openid"));
        Instant exp = Jwt.decode(token).expiresAt();
        await("the short-lived token passes its exp " + exp).atMost(EXPIRY_DEADLINE)
                .pollInterval(Duration.ofMillis(200)).until(() -> Instant.now().isAfter(exp.plusSeconds(1)));
        return token;
    }

    /**
     * Starts the authorization code flow of the console client {@code savesync-console} at the
     * savesync realm with {@code redirectUri} and, when not null, an S256 PKCE challenge; the
     * HTTP status and {@code Location} of Keycloak's answer (200 with the login page when it
     * accepts the request; an error page, or a redirect carrying {@code error=}, when not).
     */
    public AuthorizationAnswer authorize(String redirectUri, String pkceChallenge) {
        StringBuilder q = new StringBuilder("client_id=savesync-console&response_type=code&scope=openid&redirect_uri=")
                .append(java.net.URLEncoder.encode(redirectUri, java.nio.charset.StandardCharsets.UTF_8));
        if (pkceChallenge != null) {
            q.append("&code_challenge_method=S256&code_challenge=").append(pkceChallenge);
        }
        KeycloakHttp.Answer a = http.get("/realms/" + REALM + "/protocol/openid-connect/auth?" + q);
        return new AuthorizationAnswer(a.status(), a.location());
    }

    /** Keycloak's answer to an authorization request: status and {@code Location}. */
    public record AuthorizationAnswer(int status, String location) {
    }

    /**
     * What {@code realm}'s introspection endpoint says of {@code token} ({@code active}...),
     * asked as {@link #HUB_CLIENT}: Keycloak 26 answers only to a client in the token's audience.
     */
    public JsonNode introspect(String realm, String token) {
        return http.introspect(realm, token, HUB_CLIENT, HUB_CLIENT_SECRET);
    }

    private String passwordToken(String realm, String user, String password) {
        return http.grant(realm, Map.of("grant_type", "password", "client_id", ADMIN_CLI, "client_secret",
                ADMIN_CLI_SECRET, "username", user, "password", password, "scope", "openid"));
    }

    private URI realmUri(String realm) {
        return process.base().resolve("/realms/" + realm);
    }

    private synchronized void ensureShortLivedClient() {
        if (shortLivedClient) {
            return;
        }
        String master = http.grant("master", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", MASTER_ADMIN, "password", masterPassword));
        Map<String, Object> audience = Map.of("name", "audience " + HUB_AUDIENCE, "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper", "config", Map.of("included.custom.audience", HUB_AUDIENCE,
                        "access.token.claim", "true", "id.token.claim", "false", "introspection.token.claim", "true"));
        Map<String, Object> client = Map.of("clientId", SHORT_LIVED_CLIENT, "enabled", true, "publicClient", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", true,
                "attributes", Map.of("access.token.lifespan", Long.toString(SHORT_LIFESPAN.toSeconds())),
                "defaultClientScopes", List.of("web-origins", "acr", "profile", "roles", "basic", "email"),
                "protocolMappers", List.of(audience));
        KeycloakHttp.Answer a = http.postJson("/admin/realms/" + REALM + "/clients", client, master);
        if (a.status() != 201) {
            throw new IllegalStateException("cannot add client " + SHORT_LIVED_CLIENT + " to realm " + REALM
                    + ": HTTP " + a.status() + " " + a.text());
        }
        shortLivedClient = true;
    }
}
