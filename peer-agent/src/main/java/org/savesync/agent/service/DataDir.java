package org.savesync.agent.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.savesync.core.failure.Failure;

/**
 * The agent's data directory: node key ({@code node.key}), index database ({@code index.mv.db}),
 * the local API's token ({@code api-token}, owner-only) and where the running daemon's API
 * listens ({@code api.json}). The CLI finds the daemon through the last two.
 */
public final class DataDir {
    public static final String TOKEN_FILE = "api-token";
    public static final String API_FILE = "api.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public DataDir(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path path() {
        return dir;
    }

    /** Creates the directory owner-only (0700) if it is missing. */
    public DataDir create() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + dir + ": " + Failure.describe(e), e);
        }
    }

    /** The API token, made on first use: 32 random bytes in hex, in a file only the owner can read. */
    public String tokenOrCreate() {
        Path f = dir.resolve(TOKEN_FILE);
        try {
            if (!Files.exists(f)) {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                try {
                    Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(f, HexFormat.of().formatHex(b) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs
                }
            }
            return readToken().orElseThrow(() -> new IllegalStateException("the API token file " + f + " is empty;"
                    + " delete it and start the agent again"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the API token " + f + ": " + Failure.describe(e), e);
        }
    }

    public Optional<String> readToken() throws IOException {
        Path f = dir.resolve(TOKEN_FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalStateException("the API token " + f + " is readable by other users; run `chmod 600 " + f
                    + "` (and consider deleting it so a new one is made)");
        }
        String t = Files.readString(f).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    /** Where a running daemon's API listens. */
    public record ApiInfo(int port, long pid) {
    }

    public void writeApiInfo(ApiInfo info) {
        Path f = dir.resolve(API_FILE);
        Path tmp = dir.resolve(API_FILE + ".tmp");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(info));
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + Failure.describe(e), e);
        }
    }

    public Optional<ApiInfo> readApiInfo() throws IOException {
        Path f = dir.resolve(API_FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(f.toFile(), ApiInfo.class));
    }

    public void removeApiInfo() {
        try {
            Files.deleteIfExists(dir.resolve(API_FILE));
        } catch (IOException ignored) {
            // stale file: the CLI checks the pid and the port anyway
        }
    }
}
