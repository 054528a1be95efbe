package org.savesync.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client of one hub's HTTP side, written for the tests (java.net.http + Jackson): the
 * read-only admin REST API under {@code /api/v1}, and on the management port health and Prometheus metrics. It knows the
 * field names of the admin API in one place, so the tests read as what they check. Requests to the admin API send the
 * hub's local admin token ({@code DATA_DIR/admin-token}) as a bearer token, as an operator's curl does.
 */
final class HubApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The consistency check rehashes every stored chunk: hundreds of MB on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final int port;
    private final int managementPort;
    private final Path adminToken;

    HubApi(int port, int managementPort, Path adminToken) {
        this.port = port;
        this.managementPort = managementPort;
        this.adminToken = adminToken;
    }

    /** Whether {@code /q/health/ready} answers 200 on the management port (engine running, database answering). */
    boolean ready() {
        return send(managementPort, "/q/health/ready", HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** GET a JSON answer; fails unless 200. A {@code {"status":"success","data":…}} envelope is unwrapped. */
    JsonNode get(String path) {
        HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " on the hub's port " + port + " answered " + r.statusCode() + ": "
                    + r.body());
        }
        try {
            JsonNode json = AgentApi.JSON.readTree(r.body());
            return json.has("data") && "success".equals(json.path("status").asText()) ? json.path("data") : json;
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " on the hub's port " + port + " is not JSON: " + r.body(), e);
        }
    }

    /** DELETE {@code path} with the admin token; the JSON answer, failing unless 200. */
    JsonNode delete(String path) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
                .DELETE().header("Authorization", "Bearer " + token()).build();
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("DELETE " + path + " on the hub's port " + port + " answered " + r.statusCode()
                        + ": " + r.body());
            }
            return AgentApi.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("DELETE " + path + " on the hub's port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code method} (POST, PUT) of {@code path} with the admin token and a JSON body ({@code
     * null}: none); the JSON answer, failing unless 200.
     */
    JsonNode write(String method, String path, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token()).build();
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(method + " " + path + " on the hub's port " + port + " answered "
                        + r.statusCode() + ": " + r.body());
            }
            return AgentApi.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on the hub's port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /api/v1/groups/{id}/versions?path=P}: the versions the hub keeps of a path, newest first. */
    JsonNode versions(String groupId, String path) {
        return get("/api/v1/groups/" + groupId + "/versions?path=" + encode(path));
    }

    /** SHA-256 (hex) of what {@code GET /api/v1/groups/{id}/versions/content?version=V} streams; fails unless 200. */
    String versionSha256(String groupId, String version) {
        return sha256Of("/api/v1/groups/" + groupId + "/versions/content?version=" + encode(version));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code GET /api/v1/groups}. */
    JsonNode groups() {
        return get("/api/v1/groups");
    }

    /** The group's row of {@code GET /api/v1/groups}, or null when the hub does not list it. */
    JsonNode group(String groupId) {
        for (JsonNode g : groups()) {
            if (g.path("id").asText().equals(groupId)) {
                return g;
            }
        }
        return null;
    }

    /** {@code GET /api/v1/groups/{id}/members}. */
    JsonNode members(String groupId) {
        return get("/api/v1/groups/" + groupId + "/members");
    }

    /** {@code GET /api/v1/nodes}. */
    JsonNode nodes() {
        return get("/api/v1/nodes");
    }

    /** The files the hub holds for the group now: path to whether it has every chunk of it. */
    Map<String, Boolean> files(String groupId) {
        Map<String, Boolean> out = new TreeMap<>();
        for (JsonNode f : get("/api/v1/groups/" + groupId + "/files")) {
            if (f.path("type").asText().equals("FILE")) {
                out.put(f.path("path").asText(), f.path("complete").asBoolean());
            }
        }
        return out;
    }

    /** How many of the group's files the hub holds completely, by its group row (0 when not listed). */
    long completeFiles(String groupId) {
        JsonNode g = group(groupId);
        return g == null ? 0 : g.path("filesComplete").asLong();
    }

    /** SHA-256 (hex) of what {@code GET /api/v1/groups/{id}/files/content?path=P} streams; fails unless 200. */
    String contentSha256(String groupId, String path) {
        return sha256Of("/api/v1/groups/" + groupId + "/files/content?path=" + encode(path));
    }

    private String sha256Of(String uri) {
        HttpResponse<InputStream> r = send(uri, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + uri + " on the hub's port " + port + " answered " + r.statusCode()
                        + ": " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + uri + " from the hub failed", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /api/v1/check}: the read-only consistency check of the chunk store. */
    JsonNode check() {
        return get("/api/v1/check");
    }

    /** How many chunks one kind of finding of {@link #check()} counts ({@code truncated}, {@code corrupt}, ...). */
    static long findings(JsonNode check, String kind) {
        JsonNode f = check.path(kind);
        if (!f.path("count").isNumber()) {
            throw new AssertionError("no count of '" + kind + "' in the hub's check report: " + check);
        }
        return f.path("count").asLong();
    }

    /**
     * The sum of the samples of a Prometheus metric in {@code /q/metrics} (on the management port) whose label set
     * contains {@code labels} (e.g. {@code direction="out"}; empty: every sample); 0 when absent.
     */
    double metric(String name, String labels) {
        HttpResponse<String> r = send(managementPort, "/q/metrics", HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /q/metrics on the hub's management port " + managementPort + " answered "
                    + r.statusCode());
        }
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelSet = close > 0 ? line.substring(name.length(), close + 1) : "";
            if (labelSet.contains(labels)) {
                String[] parts = line.substring(Math.max(close + 1, name.length())).strip().split("\\s+");
                sum += Double.parseDouble(parts[0]);
            }
        }
        return sum;
    }

    private String token() {
        try {
            return Files.readString(adminToken, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the hub has no readable admin token at " + adminToken, e);
        }
    }

    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler) {
        return send(port, path, handler);
    }

    private <T> HttpResponse<T> send(int port, String path, HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT).GET();
        if (port == this.port) {
            b.header("Authorization", "Bearer " + token());
        }
        HttpRequest req = b.build();
        try {
            return HTTP.send(req, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on the hub's port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
