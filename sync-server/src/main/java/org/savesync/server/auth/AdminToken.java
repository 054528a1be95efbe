package org.savesync.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.savesync.core.failure.Failure;

/**
 * The hub's local admin token, used when no OIDC issuer is configured: {@value #BYTES} random
 * bytes (256 bits) in base64url without padding, in {@code DATA_DIR/}{@value #FILE}, owner-only
 * (0600). Made at the first start (written to a temporary owner-only file, then moved into place
 * without replacing one that exists), reused afterwards. Its value is never logged nor shown by
 * {@link #toString()}.
 */
public final class AdminToken {
    public static final String FILE = "admin-token";
    static final int BYTES = 32;
    /** Longest bearer value compared at all: a base64url token of {@value #BYTES} bytes is 43 characters. */
    static final int MAX_CANDIDATE = 512;

    private final Path file;
    private final byte[] digest;

    private AdminToken(Path file, String value) {
        this.file = file;
        this.digest = sha256(value);
    }

    /**
     * Reads {@code dataDir/admin-token}, or makes it when there is none (the directory, when
     * missing, is made owner-only too).
     *
     * @throws IllegalStateException when the file is readable or writable by others, or empty (with what to do)
     */
    public static AdminToken loadOrCreate(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir);
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            }
            if (!Files.exists(f)) {
                create(dataDir, f);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new IllegalStateException("the admin token " + f + " is open to other users ("
                        + PosixFilePermissions.toString(perms) + "); run `chmod 600 " + f + "`, or delete it to make a"
                        + " new one at the next start");
            }
            String value = Files.readString(f, StandardCharsets.US_ASCII).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("the admin token " + f + " is empty; delete it and start the hub again"
                        + " to make a new one");
            }
            return new AdminToken(f, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token " + f + ": " + Failure.describe(e)
                    + "; is the data dir writable by this user?", e);
        }
    }

    private static void create(Path dir, Path f) throws IOException {
        byte[] raw = new byte[BYTES];
        new SecureRandom().nextBytes(raw);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n",
                StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
            Files.move(tmp, f); // without REPLACE_EXISTING: a token that exists is never overwritten
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
        }
    }

    /** Where the token is (what the hub prints at startup; never the token itself). */
    public Path file() {
        return file;
    }

    /**
     * Whether {@code candidate} is exactly this token. Both sides are hashed and the digests
     * compared with {@link MessageDigest#isEqual}, so the time taken does not depend on where
     * the first difference is; a candidate longer than {@value #MAX_CANDIDATE} characters is
     * refused without hashing.
     */
    public boolean matches(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_CANDIDATE) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(candidate));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[" + file + "]";
    }
}
