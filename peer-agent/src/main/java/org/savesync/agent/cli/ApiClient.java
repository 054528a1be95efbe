package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.savesync.agent.service.DataDir;
import org.savesync.core.failure.Failure;

/**
 * Talks to the agent running on a data dir: reads its API port ({@code api.json}) and token
 * ({@code api-token}) there and calls the local API on 127.0.0.1.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DataDir dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final String token;

    ApiClient(DataDir dataDir) {
        this.dataDir = dataDir;
        try {
            Optional<DataDir.ApiInfo> info = dataDir.readApiInfo();
            if (info.isEmpty() || ProcessHandle.of(info.get().pid()).map(ProcessHandle::isAlive).orElse(false) == false) {
                throw notRunning();
            }
            this.port = info.get().port();
            this.token = dataDir.readToken().orElseThrow(this::notRunning);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read the agent's API details in " + dataDir.path() + ": "
                    + Failure.describe(e));
        } catch (IllegalStateException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        }
    }

    private CliException notRunning() {
        return new CliException(CliException.NOT_RUNNING, "no agent is running for the data dir " + dataDir.path()
                + "; start one with `savesync --data-dir " + dataDir.path() + " run`");
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), Duration.ofSeconds(30));
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), Duration.ofSeconds(60));
    }

    JsonNode post(String path, Object body, Duration timeout) {
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), timeout);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot encode the request: " + Failure.describe(e));
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private JsonNode send(HttpRequest.Builder b, Duration timeout) {
        HttpRequest req = b.header("Authorization", "Bearer " + token).timeout(timeout).build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw notRunning();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the agent did not answer " + req.method() + " " + req.uri().getPath()
                    + ": " + Failure.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the agent answered HTTP " + resp.statusCode()
                    + " with something that is not JSON: " + resp.body());
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new CliException(CliException.FAILED, body.path("error").asText("HTTP " + resp.statusCode()));
        }
        return body.path("data");
    }
}
