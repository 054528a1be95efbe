package org.savesync.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.agent.service.DataDir;
import picocli.CommandLine;

/** The Quarkus-free client ({@code bin/savesync}'s path for every command but {@code run}) against a stand-in agent. */
class ClientMainTest {
    private static final String STATUS = "{\"status\":\"success\",\"data\":{\"nodeId\":\"n1\",\"addresses\":"
            + "[\"127.0.0.1:22100\"],\"inSync\":true,\"groups\":[{\"id\":\"g\",\"name\":\"photos\",\"folder\":\"/f\","
            + "\"peers\":1,\"inSync\":true,\"filesLeft\":0}]}}";

    @TempDir
    Path tmp;

    private ServerSocket agent;
    private Thread serving;

    @BeforeEach
    void startAgent() throws IOException {
        agent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        serving = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try (Socket s = agent.accept()) {
                    String head = LocalHttpTest.readRequest(s.getInputStream()); // all of it: unread bytes reset the connection
                    String body = head.startsWith("GET /status ") ? STATUS : "{\"status\":\"error\",\"error\":\"no such group\"}";
                    byte[] b = body.getBytes(StandardCharsets.UTF_8);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\ncontent-length: " + b.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(b);
                } catch (IOException e) {
                    return;
                }
            }
        });
        DataDir d = new DataDir(tmp);
        d.tokenOrCreate();
        d.writeApiInfo(new DataDir.ApiInfo(agent.getLocalPort(), ProcessHandle.current().pid()));
    }

    @AfterEach
    void stopAgent() throws IOException {
        agent.close();
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(Supplier<CommandLine> cli, String... args) {
        return capture(err -> {
            CommandLine cl = cli.get();
            cl.setErr(err);
            return cl.execute(args);
        });
    }

    /** What {@code bin/savesync}'s client ({@link ClientMain#main}) does with {@code args}: the fast path where it applies. */
    private static Result client(String... args) {
        return capture(err -> ClientMain.execute(err, args));
    }

    private static Result capture(java.util.function.ToIntFunction<PrintWriter> command) {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int exit = command.applyAsInt(new PrintWriter(err, true));
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(before);
        }
    }

    @Test
    void theFastPathAnswersExactlyAsPicocliDoes() throws IOException {
        String d = tmp.toString();
        Path file = java.nio.file.Files.writeString(tmp.resolve("a-file"), "x");
        List<List<String>> lines = List.of(List.of("--data-dir", d, "status"), List.of("--data-dir", d, "status", "--json"),
                List.of("--data-dir", d + "/no-agent-here", "status"), List.of("--data-dir", file + "/x", "status"),
                List.of("--data-dir", "bad\u0000path", "status"), List.of("--data-dir", d, "status", "--help"),
                List.of("--data-dir", d, "status", "--bogus"), List.of("--data-dir", d, "status", "--json", "--json"),
                List.of("--data-dir", "status", "status"), List.of("--data-dir", "-x", "status"),
                List.of("--data-dir", "--help", "status"), List.of("--data-dir", "--data-dir", "status"),
                List.of("--data-dir=" + d, "status"), List.of("--data-dir", d, "--data-dir", d, "status"),
                List.of("status", "--no-such-option"), List.of("--data-dir", d, "status", "extra"));
        for (List<String> line : lines) {
            String[] args = line.toArray(String[]::new);
            assertThat(client(args)).as("%s", line).isEqualTo(run(Main::commandLine, args));
        }
        // and the fast path did answer the common ones (else the comparison above proves little)
        assertThat(capture(err -> ClientFastPath.run(lines.get(0), err).orElse(-1)).exit()).isZero();
        assertThat(capture(err -> ClientFastPath.run(lines.get(2), err).orElse(-1)).exit()).isEqualTo(CliException.NOT_RUNNING);
        assertThat(capture(err -> ClientFastPath.run(lines.get(5), err).orElse(-1)).exit()).isEqualTo(-1);
        assertThat(client(lines.get(1).toArray(String[]::new)).out()).contains("\"nodeId\" : \"n1\"");
    }

    @Test
    void statusPrintsWhatTheApplicationPathPrints() {
        Result client = run(ClientMain::commandLine, "--data-dir", tmp.toString(), "status");
        assertThat(client).isEqualTo(run(Main::commandLine, "--data-dir", tmp.toString(), "status"));
        assertThat(client.exit()).isZero();
        assertThat(client.out()).isEqualTo("""
                node n1
                  listening on 127.0.0.1:22100
                group photos (g)
                  folder  /f
                  peers   1 connected
                  state   in sync
                in sync
                """);
    }

    @Test
    void theAgentsRefusalAndABadGroupIdAreErrors() {
        Result refused = run(ClientMain::commandLine, "--data-dir", tmp.toString(), "group", "show", "gg");
        assertThat(refused).isEqualTo(new Result(CliException.FAILED, "", "savesync: no such group\n"));
        // a group id that cannot stand in a request line never reaches the agent
        Result bad = run(ClientMain::commandLine, "--data-dir", tmp.toString(), "group", "show", "a b\r\nX: y");
        assertThat(bad.exit()).isEqualTo(CliException.FAILED);
        assertThat(bad.err()).startsWith("savesync: Illegal character in path");
    }

    @Test
    void runIsRefusedSayingWhereToStartTheAgent() {
        Result r = run(ClientMain::commandLine, "--data-dir", tmp.toString(), "run", "--listen", "127.0.0.1:1");
        assertThat(r).isEqualTo(new Result(CliException.USAGE, "", "savesync: " + ClientMain.RUN_NEEDS_APP + "\n"));
        Result help = run(ClientMain::commandLine, "--help");
        assertThat(help).isEqualTo(run(Main::commandLine, "--help"));
        assertThat(help.out()).contains("Usage: savesync").contains("  run ");
    }
}
