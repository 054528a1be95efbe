package org.savesync.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The few HTTP calls the harness makes to Keycloak on loopback: OAuth grants at a realm's token
 * endpoint, token introspection, discovery and the admin REST API. Every call has a deadline,
 * and an answer longer than {@link #MAX_ANSWER_CHARS} (a Keycloak answer is a few kilobytes)
 * is refused rather than parsed.
 */
final class KeycloakHttp {
    /** Deadline of one call; Keycloak answers a grant in milliseconds once it is up. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Largest answer read; more means something other than Keycloak answered. */
    static final int MAX_ANSWER_CHARS = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** Calls to the Keycloak at {@code base}, e.g. {@code http://127.0.0.1:8180}. */
    KeycloakHttp(URI base) {
        this.base = base;
    }

    /**
     * An answer: its status, its {@code Location} (empty when none) and, when it is JSON, its
     * body; {@code text} holds the body raw.
     */
    record Answer(int status, String location, String text, JsonNode json) {
    }

    /** POSTs a grant to {@code realm}'s token endpoint; the access token, or a refusal. */
    String grant(String realm, Map<String, String> form) {
        String endpoint = "/realms/" + realm + "/protocol/openid-connect/token";
        Answer a = postForm(endpoint, form);
        if (a.status() != 200 || !a.json().path("access_token").isTextual()) {
            throw new TokenRefusedException(endpoint, a.status(), a.json().path("error").asText("(no error field)"),
                    a.json().path("error_description").asText(""));
        }
        return a.json().path("access_token").asText();
    }

    /** Asks {@code realm} whether {@code token} is active (RFC 7662), as a confidential client. */
    JsonNode introspect(String realm, String token, String clientId, String secret) {
        String endpoint = "/realms/" + realm + "/protocol/openid-connect/token/introspect";
        Answer a = postForm(endpoint, Map.of("token", token, "client_id", clientId, "client_secret", secret));
        if (a.status() != 200) {
            throw new IllegalStateException(endpoint + " answered HTTP " + a.status() + ": " + a.text());
        }
        return a.json();
    }

    /** GETs {@code path} (e.g. a discovery document). */
    Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT).GET().build());
    }

    /** POSTs JSON to the admin REST API with a bearer token. */
    Answer postJson(String path, Object body, String bearer) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer postForm(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String text = r.body() == null ? "" : r.body();
            if (text.length() > MAX_ANSWER_CHARS) {
                throw new IllegalStateException(request.uri() + " answered " + text.length()
                        + " characters, more than the " + MAX_ANSWER_CHARS + " a Keycloak answer takes");
            }
            JsonNode json = JSON.missingNode();
            if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !text.isBlank()) {
                json = JSON.readTree(text);
            }
            return new Answer(r.statusCode(), r.headers().firstValue("Location").orElse(""), text, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Keycloak at " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + request.uri(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
