package org.savesync.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's HTTP/1.1 exchange with the agent: what it sends, what answers it accepts, which it refuses. */
class LocalHttpTest {
    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Accepts one connection, returns the request's bytes once it has written {@code answer} and closed. */
    private CompletableFuture<String> answerOnce(String answer, boolean hold) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                String request = readRequest(s.getInputStream());
                if (hold) {
                    s.getInputStream().read(); // answers only after the client gave up and closed
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                return request;
            } catch (IOException e) {
                return "failed: " + e;
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        String head = b.toString(StandardCharsets.ISO_8859_1);
        int length = head.lines().filter(l -> l.startsWith("Content-Length: ")).mapToInt(l -> Integer.parseInt(l.substring(16)))
                .findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private LocalHttp.Response exchange(String method, String path, byte[] body) throws IOException {
        return LocalHttp.exchange(server.getLocalPort(), method, path, "tok", body, Duration.ofSeconds(10));
    }

    @Test
    void sendsTheTokenAndTheBodyAndReadsAContentLengthAnswer() throws Exception {
        var request = answerOnce("HTTP/1.1 200 OK\r\ncontent-length: 10\r\nContent-Type: application/json\r\n\r\n{\"a\":\"\u00e9\"}", false);
        LocalHttp.Response r = exchange("POST", "/groups", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"a\":\"\u00e9\"}");
        assertThat(request.get(10, TimeUnit.SECONDS)).startsWith("POST /groups HTTP/1.1\r\n")
                .contains("\r\nAuthorization: Bearer tok\r\n").contains("\r\nConnection: close\r\n")
                .contains("\r\nContent-Type: application/json\r\n").endsWith("\r\n\r\n{\"x\":1}");
    }

    @Test
    void readsAChunkedAnswerAndOneThatEndsWithTheConnection() throws Exception {
        answerOnce("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n", false);
        assertThat(exchange("GET", "/status", null)).isEqualTo(new LocalHttp.Response(400, "{\"a\":1}"));
        answerOnce("HTTP/1.0 200 OK\r\n\r\n[1,2]", false);
        assertThat(exchange("DELETE", "/groups/g", null)).isEqualTo(new LocalHttp.Response(200, "[1,2]"));
    }

    @Test
    void nothingListeningIsAConnectException() throws IOException {
        int port = server.getLocalPort();
        server.close();
        assertThatThrownBy(() -> LocalHttp.exchange(port, "GET", "/status", "t", null, Duration.ofSeconds(5)))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void anAnswerThatDoesNotComeInTimeIsATimeout() {
        answerOnce("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}", true);
        assertThatThrownBy(() -> LocalHttp.exchange(server.getLocalPort(), "GET", "/status", "t", null,
                Duration.ofMillis(300))).isInstanceOf(SocketTimeoutException.class).hasMessage("request timed out");
    }

    private static LocalHttp.Response parse(String answer) throws IOException {
        return LocalHttp.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void refusesWhatIsNotAnHttpAnswerWithinTheBounds() {
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH_9.2\r\n\r\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP/1.x status line");
        assertThatThrownBy(() -> parse("HTTP/1.1 2x0 OK\r\n\r\n")).hasMessageContaining("malformed status code");
        // a length past the bound is refused before anything is read or allocated for it
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n{}"))
                .hasMessageContaining("more than the " + LocalHttp.MAX_BODY_BYTES + " allowed");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}"))
                .hasMessageContaining("two different Content-Length");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}")).hasMessageContaining("after 2 of 5");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n"))
                .hasMessageContaining("an answer of more than");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n"))
                .hasMessageContaining("malformed chunk size");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"))
                .hasMessageContaining("unsupported Transfer-Encoding");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX: " + "a".repeat(LocalHttp.MAX_HEADER_BYTES) + "\r\n\r\n"))
                .hasMessageContaining("headers are longer than");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")).hasMessageContaining("malformed header");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\n")).hasMessageContaining("closed in the middle");
    }
}
