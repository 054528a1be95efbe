package org.savesync.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A client of one agent's local API, written for the tests (java.net.http + Jackson), not the
 * CLI's: it reads nothing but the port it was given and the token file.
 */
final class AgentApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** An HTTP answer: status code and the body parsed as JSON (null when it is not JSON). */
    record Reply(int code, String body, JsonNode json) {
        static Reply of(int code, String body) {
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            return new Reply(code, body, json);
        }

        boolean isErrorEnvelope() {
            return json != null && "error".equals(json.path("status").asText()) && !json.path("error").asText().isBlank()
                    && !json.has("data");
        }
    }

    private final int port;
    private final String token;

    AgentApi(int port, String token) {
        this.port = port;
        this.token = token;
    }

    int port() {
        return port;
    }

    String token() {
        return token;
    }

    /** GET with the token; fails unless the answer is 200 with a success envelope; returns its data. */
    JsonNode get(String path) {
        Reply r = request("GET", path, Map.of("Authorization", "Bearer " + token));
        if (r.code() != 200 || r.json() == null || !"success".equals(r.json().path("status").asText())) {
            throw new AssertionError("GET " + path + " on port " + port + " answered " + r.code() + ": " + r.body());
        }
        return r.json().path("data");
    }

    JsonNode status() {
        return get("/status");
    }

    /** The group's entry of {@code GET /status}. */
    JsonNode groupStatus(String groupId) {
        for (JsonNode g : status().path("groups")) {
            if (g.path("id").asText().equals(groupId)) {
                return g;
            }
        }
        throw new AssertionError("the agent on API port " + port + " has no group " + groupId);
    }

    /** One of {@code GET /status}'s counters (per process: they start at 0 with the agent). */
    long counter(String name) {
        JsonNode c = status().path("counters").path(name);
        if (!c.isNumber()) {
            throw new AssertionError("no counter '" + name + "' in the status of the agent on port " + port);
        }
        return c.asLong();
    }

    /** Any request with exactly these headers (java.net.http adds Host 127.0.0.1:PORT itself). */
    Reply request(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        try {
            HttpResponse<String> resp = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return Reply.of(resp.statusCode(), resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on port " + port + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A GET written by hand on a socket, for headers java.net.http will not send (such as a
     * foreign {@code Host}). HTTP/1.1 with {@code Connection: close}; the body is read by its
     * Content-Length.
     */
    Reply rawGet(String path, Map<String, String> headers) {
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = all.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                throw new AssertionError("not an HTTP answer from port " + port + ": " + all);
            }
            String head = all.substring(0, headEnd);
            int code = Integer.parseInt(head.split(" ", 3)[1]);
            String body = all.substring(headEnd + 4);
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    int len = Integer.parseInt(line.substring(15).strip());
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    body = new String(bytes, 0, Math.min(len, bytes.length), StandardCharsets.UTF_8);
                }
            }
            return Reply.of(code, body);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on port " + port + " failed", e);
        }
    }
}
