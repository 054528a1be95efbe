package org.savesync.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The claims of a JSON Web Token, decoded for assertions in tests. It does NOT check the
 * signature: tests read what Keycloak put into a token; checking tokens is the hub's job.
 *
 * @param header the JOSE header
 * @param claims the payload
 */
public record Jwt(JsonNode header, JsonNode claims) {
    /** Longest token decoded; Keycloak's are a few kilobytes. */
    public static final int MAX_TOKEN_CHARS = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Decodes the header and payload of a compact JWS {@code header.payload.signature}. */
    public static Jwt decode(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("not a JWT: empty or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT: " + parts.length + " dot-separated parts instead of 3");
        }
        return new Jwt(part(parts[0], "header"), part(parts[1], "payload"));
    }

    private static JsonNode part(String b64, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalArgumentException("not a JWT: its " + what + " is not base64url JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JWT: its " + what + " is not a JSON object");
        }
        return node;
    }

    /** The {@code iss} claim. */
    public String issuer() {
        return claims.path("iss").asText();
    }

    /** The {@code aud} claim, which may be one string or an array. */
    public List<String> audience() {
        return strings(claims.path("aud"));
    }

    /** {@code realm_access.roles}, where Keycloak puts realm roles and quarkus-oidc looks for them. */
    public List<String> realmRoles() {
        return strings(claims.path("realm_access").path("roles"));
    }

    /** The {@code azp} claim: the client the token was issued to. */
    public String authorizedParty() {
        return claims.path("azp").asText();
    }

    /** The {@code exp} claim. */
    public Instant expiresAt() {
        JsonNode exp = claims.path("exp");
        if (!exp.canConvertToLong()) {
            throw new IllegalStateException("the token has no numeric exp claim: " + claims);
        }
        return Instant.ofEpochSecond(exp.asLong());
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
