package org.savesync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.savesync.agent.service.DataDir;
import org.savesync.core.failure.Failure;

/**
 * Talks to the agent running on a data dir: reads its API port ({@code api.json}) and token
 * ({@code api-token}) there and calls the local API on 127.0.0.1 ({@link LocalHttp}: plain
 * HTTP/1.1, one connection per call).
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final DataDir dataDir;
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
        return send("GET", path, null, Duration.ofSeconds(30));
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Duration.ofSeconds(60));
    }

    JsonNode post(String path, Object body, Duration timeout) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot encode the request: " + Failure.describe(e));
        }
        return send("POST", path, json, timeout);
    }

    private JsonNode send(String method, String path, byte[] requestBody, Duration timeout) {
        // URI.create refuses what may not stand in a request line (spaces, CR, LF in a group id the
        // user typed), with the message the CLI has always printed for it
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        String target = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        LocalHttp.Response resp;
        try {
            resp = LocalHttp.exchange(port, method, target, token, requestBody, timeout);
        } catch (ConnectException e) {
            throw notRunning();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the agent did not answer " + method + " " + uri.getPath() + ": "
                    + Failure.describe(e));
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
