package org.savesync.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real hub, {@code java -jar quarkus-run.jar ARGS} as {@code bin/savesync-server} runs it,
 * with its standard output and standard error in files of their own (under target/).
 */
final class HubProcess implements AutoCloseable {
    /** Settings a developer's shell may hold that would change what the hub does. */
    private static final List<String> INHERITED = List.of("SAVESYNC_DATA_DIR", "SAVESYNC_LISTEN", "SAVESYNC_NODE_NAME",
            "SAVESYNC_ANTI_ENTROPY_INTERVAL", "SAVESYNC_HTTP_ALLOWED_HOSTS", "SYNC_DB_URL", "SYNC_DB_USER",
            "SYNC_DB_PASSWORD", "QUARKUS_HTTP_HOST", "QUARKUS_HTTP_PORT", "QUARKUS_MANAGEMENT_HOST",
            "QUARKUS_MANAGEMENT_PORT", "QUARKUS_OIDC_AUTH_SERVER_URL", "QUARKUS_OIDC_TENANT_ENABLED");

    private final Process process;
    private final Path out;
    private final Path err;

    private HubProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static HubProcess start(Path logs, String name, List<String> args, Map<String, String> env) throws IOException {
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("savesync.java", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-Xmx512m");
        String flags = System.getProperty("savesync.jvm.flags", "--enable-native-access=ALL-UNNAMED");
        cmd.addAll(Arrays.stream(flags.split("\\s+")).filter(f -> !f.isBlank()).toList());
        cmd.add("-jar");
        cmd.add(app().toString());
        cmd.addAll(args);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        INHERITED.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        return new HubProcess(pb.start(), out, err);
    }

    private static Path app() {
        Path app = Path.of(System.getProperty("savesync.server.app", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException("the hub is not built at " + app + " (run `./mvnw verify -pl sync-server`)");
        }
        return app;
    }

    /** Waits for the process to end (it must, within {@code limit}); its exit code. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("the hub did not exit within " + limit + "; stdout:\n" + stdout() + "\nstderr:\n"
                    + stderr());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Ctrl-C: the hub stops its embedded PostgreSQL; SIGKILL if it does not end within a minute. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
