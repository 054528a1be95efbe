package org.savesync.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.savesync.agent.service.DataDir;

/**
 * The training run {@code bin/savesync} records the client's AOT cache from (JDK 25,
 * {@code -XX:AOTCacheOutput}): the client commands, against a stand-in agent on 127.0.0.1 that
 * answers with canned JSON, so the classes a real {@code status}, {@code groups} or a refused
 * option load are the ones in the cache. It prints nothing (the commands' output is dropped) and
 * leaves nothing behind (its data dir is a temp dir it deletes).
 *
 * <p>Not a test: the cache only makes later commands start faster; a command whose classes
 * it misses still runs, loading them from the jars.
 */
public final class ClientTraining {
    private static final String GROUP = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String STATUS = """
            {"status":"success","data":{"nodeId":"n","addresses":["127.0.0.1:22100"],"inSync":false,
             "hub":{"address":"127.0.0.1:22000","nodeId":"h","connected":true,"groups":[
               {"id":"%1$s","name":"g","state":"pending","detail":"d","nextAttemptSeconds":2}]},
             "groups":[{"id":"%1$s","name":"g","folder":"/f","peers":1,"inSync":false,"state":"syncing",
               "reason":"r","ignoreProblems":["w"],"filesLeft":2,"bytesLeft":2048,"bytesPerSecond":1.5,
               "etaSeconds":3}]}}""".formatted(GROUP);
    private static final String GROUPS = """
            {"status":"success","data":[{"id":"%s","name":"g","folder":"/f","members":2}]}""".formatted(GROUP);
    private static final String PEERS = """
            {"status":"success","data":[{"name":"p","hub":false,"nodeId":"n","direction":"out",
             "addresses":["127.0.0.1:1"],"groups":["%s"]}]}""".formatted(GROUP);
    private static final String REFUSED = "{\"status\":\"error\",\"error\":\"no such group\"}";

    private ClientTraining() {
    }

    public static void main(String... args) throws Exception {
        Path dir = Files.createTempDirectory("savesync-cli-training", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread agent = Thread.ofPlatform().daemon().start(() -> serve(server));
            DataDir data = new DataDir(dir);
            data.tokenOrCreate();
            data.writeApiInfo(new DataDir.ApiInfo(server.getLocalPort(), ProcessHandle.current().pid()));
            PrintStream drop = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            System.setOut(drop);
            System.setErr(drop);
            String d = dir.toString();
            for (List<String> command : List.of(List.of("--data-dir", d, "status"),
                    List.of("--data-dir", d, "status", "--json"), List.of("--data-dir", d, "groups"),
                    List.of("--data-dir", d, "peers"), List.of("--data-dir", d, "id"),
                    List.of("--data-dir", d, "group", "show", GROUP), List.of("--data-dir", d, "scan", GROUP),
                    List.of("--data-dir", d, "group", "invite", GROUP, "--expires", "2h"),
                    List.of("--data-dir", d, "status", "--no-such-option"), List.of("--help"),
                    List.of("--data-dir", d + "/nothing-here", "status"))) {
                // as ClientMain.main runs them: status and status --json take the fast path
                ClientMain.execute(ClientFastPath.stderr(System.err), command.toArray(String[]::new));
            }
            agent.interrupt();
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The stand-in agent: one canned answer per connection, chosen by the request line. */
    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                String requestLine = head(in);
                String body = requestLine.startsWith("GET /status ") ? STATUS
                        : requestLine.startsWith("GET /groups ") ? GROUPS
                        : requestLine.startsWith("GET /peers ") ? PEERS : REFUSED;
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(("HTTP/1.1 " + (body == REFUSED ? "404 Not Found" : "200 OK")
                        + "\r\nContent-Type: application/json\r\ncontent-length: " + b.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(b);
            } catch (IOException e) {
                return; // closed: training is over
            }
        }
    }

    /** Reads the request's headers (the bodies are tiny and ignored); returns its first line. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4 && b.size() < 65_536) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
        String h = b.toString(StandardCharsets.ISO_8859_1);
        int eol = h.indexOf("\r\n");
        return eol < 0 ? h : h.substring(0, eol);
    }
}
