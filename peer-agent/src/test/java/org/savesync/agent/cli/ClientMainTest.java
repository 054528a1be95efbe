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
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = cli.get();
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(before);
        }
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
