package org.savesync.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Keycloak started through {@code deploy/keycloak/start} on a free loopback port with a data
 * dir of its own, exactly as a developer starts one, and stopped through
 * {@code deploy/keycloak/stop}. The script is given this JVM's pid as its owner, so Keycloak is
 * stopped even when this JVM dies without running its shutdown hooks.
 */
final class KeycloakProcess {
    /**
     * Deadline for the start script: the first run on a machine fetches and unpacks 177 MB and
     * rebuilds Keycloak once; a later one boots in about a minute on two busy cores.
     */
    static final Duration START_DEADLINE = Duration.ofMinutes(8);
    /** What the script waits for the realms to answer once Keycloak runs. */
    static final Duration BOOT_DEADLINE = Duration.ofMinutes(5);
    /** Deadline for the stop script (TERM, then KILL after 30 s). */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    private final Path scripts;
    private final Path dataDir;
    private final int port;
    private final URI issuer;

    private KeycloakProcess(Path scripts, Path dataDir, int port, URI issuer) {
        this.scripts = scripts;
        this.dataDir = dataDir;
        this.port = port;
        this.issuer = issuer;
    }

    /**
     * Starts Keycloak with the savesync realm plus {@code extraRealms} (class path resources)
     * and {@code env} for the script; returns once every realm answers.
     */
    static KeycloakProcess start(List<String> extraRealms, Map<String, String> env) {
        Path scripts = scriptsDir();
        Path dataDir;
        int port;
        try {
            // Not "savesync-*": TempDirGuard checks those when the JUnit session closes, and this
            // Keycloak serves the whole JVM; the shutdown hook removes the dir after the session.
            dataDir = Files.createTempDirectory("keycloak-");
            port = freeTcpPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Keycloak data dir or port: " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of(scripts.resolve("start").toString(), "--port",
                Integer.toString(port), "--data-dir", dataDir.toString(), "--owner-pid",
                Long.toString(ProcessHandle.current().pid()), "--timeout", Long.toString(BOOT_DEADLINE.toSeconds())));
        for (String resource : extraRealms) {
            command.add("--realm");
            command.add(copyResource(resource, dataDir).toString());
        }
        log("starting Keycloak on 127.0.0.1:" + port + " (data dir " + dataDir + "); the first start on a machine"
                + " fetches the distribution and takes a few minutes");
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        List<String> output = run(pb, START_DEADLINE, true);
        String last = output.isEmpty() ? "" : output.get(output.size() - 1).trim();
        if (!last.startsWith("http://127.0.0.1:" + port + "/realms/")) {
            throw new IllegalStateException("deploy/keycloak/start printed no issuer URL; its output:\n"
                    + String.join("\n", output));
        }
        log("Keycloak is up after " + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s: " + last);
        return new KeycloakProcess(scripts, dataDir, port, URI.create(last));
    }

    /** The savesync realm's issuer, as the start script printed it. */
    URI issuer() {
        return issuer;
    }

    /** Where Keycloak listens, e.g. {@code http://127.0.0.1:41234}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops Keycloak through the stop script and removes its data dir. */
    void stop() {
        try {
            run(new ProcessBuilder(scripts.resolve("stop").toString(), "--data-dir", dataDir.toString())
                    .redirectErrorStream(true), STOP_DEADLINE, false);
            deleteTree(dataDir);
        } catch (RuntimeException e) {
            log("could not stop Keycloak cleanly: " + e.getMessage() + "; see " + dataDir.resolve("keycloak.log"));
        }
    }

    /**
     * {@code deploy/keycloak} of this checkout: {@code -Dsavesync.repo.root} when set, else the
     * nearest directory above the working directory that has {@code deploy/keycloak/start}.
     */
    static Path scriptsDir() {
        String root = System.getProperty("savesync.repo.root");
        Path dir = root != null ? Path.of(root).toAbsolutePath() : Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = root != null ? null : d.getParent()) {
            Path scripts = d.resolve("deploy").resolve("keycloak");
            if (Files.isExecutable(scripts.resolve("start")) && Files.isExecutable(scripts.resolve("stop"))) {
                return scripts;
            }
        }
        throw new IllegalStateException("no executable deploy/keycloak/start and stop in " + dir
                + (root != null ? "" : " or above it") + "; run the tests from a SaveSync checkout"
                + " or set -Dsavesync.repo.root");
    }

    private static List<String> run(ProcessBuilder pb, Duration deadline, boolean echo) {
        Process p;
        try {
            p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + pb.command().get(0) + ": " + e.getMessage(), e);
        }
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofPlatform().daemon().name("keycloak-script-output")
                .start(() -> readLines(p.getInputStream(), lines, echo));
        try {
            if (!p.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(pb.command().get(0) + " did not finish within " + deadline.toSeconds()
                        + " s; its output:\n" + String.join("\n", lines));
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + pb.command().get(0), e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(pb.command().get(0) + " failed (exit " + p.exitValue() + "):\n"
                    + String.join("\n", lines));
        }
        return new ArrayList<>(lines);
    }

    private static void readLines(InputStream in, List<String> lines, boolean echo) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                if (echo) {
                    log(line);
                }
            }
        } catch (IOException e) {
            lines.add("(output unreadable: " + e.getMessage() + ")");
        }
    }

    private static Path copyResource(String resource, Path dir) {
        try (InputStream in = KeycloakProcess.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no class path resource " + resource);
            }
            Path file = dir.resolve(Path.of(resource).getFileName().toString());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + ": " + e.getMessage(), e);
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        // The instance home links to the shared distribution: delete the links, never follow them.
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    static void log(String message) {
        System.out.println("[keycloak] " + message);
    }
}
