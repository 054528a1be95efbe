package org.savesync.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
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
            // {"port":P,"pid":N}, what parseApiInfo reads
            Files.writeString(tmp, JSON.writeValueAsString(JSON.createObjectNode().put("port", info.port())
                    .put("pid", info.pid())));
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + Failure.describe(e), e);
        }
    }

    /**
     * The running daemon's {@code api.json}, if there is one: exactly {@code port} (1 to 65535) and
     * {@code pid} (above 0), else an {@link IOException} saying what is wrong.
     *
     * <p>Read as a JSON tree and checked by hand rather than bound to the record: Jackson's bean
     * introspection of a record costs most of a second of a CLI command's start-up, this costs
     * milliseconds.
     */
    public Optional<ApiInfo> readApiInfo() throws IOException {
        Path f = dir.resolve(API_FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(parseApiInfo(f, Files.readString(f)));
    }

    /** What {@link #writeApiInfo} wrote, strictly; {@code f} only names the file in errors. */
    static ApiInfo parseApiInfo(Path f, String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        if (n == null || !n.isObject()) {
            throw new IOException(f + " is not a JSON object; delete it if no agent runs for " + f.getParent());
        }
        for (var names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("port") && !name.equals("pid")) {
                throw new IOException(f + " has an unknown field '" + name + "'; delete it if no agent runs for "
                        + f.getParent());
            }
        }
        JsonNode port = n.get("port");
        JsonNode pid = n.get("pid");
        if (port == null || !port.canConvertToInt() || !port.isIntegralNumber() || port.intValue() < 1
                || port.intValue() > 65_535 || pid == null || !pid.isIntegralNumber() || !pid.canConvertToLong()
                || pid.longValue() < 1) {
            throw new IOException(f + " does not hold a port (1 to 65535) and a pid; delete it if no agent runs for "
                    + f.getParent());
        }
        return new ApiInfo(port.intValue(), pid.longValue());
    }

    public void removeApiInfo() {
        try {
            Files.deleteIfExists(dir.resolve(API_FILE));
        } catch (IOException ignored) {
            // stale file: the CLI checks the pid and the port anyway
        }
    }
}
