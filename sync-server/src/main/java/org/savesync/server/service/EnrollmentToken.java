package org.savesync.server.service;

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
import java.util.Locale;
import java.util.Set;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.Base32;

/**
 * The secret an agent presents once to enroll with the hub ({@code savesync run --hub ...
 * --enroll-token TOKEN}). Made at the hub's first start: {@value #BYTES} random bytes
 * (160 bits) in lowercase base32, in {@code DATA_DIR/}{@value #FILE}, owner-only (0600).
 * It is never rewritten, so agents enrolled later keep working across restarts; the
 * operator reads the file. Its value is never logged nor shown by {@link #toString()}.
 */
public final class EnrollmentToken {
    public static final String FILE = "enrollment-token";
    static final int BYTES = 20;

    private final Path file;
    private final byte[] digest;

    private EnrollmentToken(Path file, String value) {
        this.file = file;
        this.digest = sha256(value);
    }

    /**
     * Reads {@code dataDir/enrollment-token}, or makes it when there is none (the directory,
     * when missing, is made owner-only too).
     *
     * @throws IllegalStateException when the file is readable by others or empty (with what to do)
     */
    public static EnrollmentToken loadOrCreate(Path dataDir) {
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
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalStateException("the enrollment token " + f + " is readable by other users ("
                        + PosixFilePermissions.toString(perms) + "); run `chmod 600 " + f + "`, or delete it to make a"
                        + " new one (agents not enrolled yet then need the new token)");
            }
            String value = Files.readString(f, StandardCharsets.US_ASCII).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("the enrollment token " + f + " is empty; delete it and start the hub"
                        + " again to make a new one");
            }
            return new EnrollmentToken(f, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the enrollment token " + f + ": " + Failure.describe(e)
                    + "; is the data dir writable by this user?", e);
        }
    }

    private static void create(Path dir, Path f) throws IOException {
        byte[] raw = new byte[BYTES];
        new SecureRandom().nextBytes(raw);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base32.encode(raw) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        try {
            // Without REPLACE_EXISTING: a token that exists is never overwritten.
            Files.move(tmp, f);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
        }
    }

    /** Where the token is (for messages that tell an operator where to look). */
    public Path file() {
        return file;
    }

    /**
     * Whether {@code candidate} is this token (surrounding blanks and letter case ignored). The
     * comparison takes the same time wherever the first difference is: both sides are hashed
     * and the digests compared with {@link MessageDigest#isEqual}.
     */
    public boolean matches(String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(candidate.strip().toLowerCase(Locale.ROOT)));
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
        return "EnrollmentToken[" + file + "]";
    }
}
