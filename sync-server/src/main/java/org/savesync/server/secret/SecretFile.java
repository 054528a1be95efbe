package org.savesync.server.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Set;
import java.util.function.Function;
import org.savesync.core.failure.Failure;

/**
 * One secret in a file of the data dir: random bytes, encoded as text, owner-only (0600).
 * Made when missing (written to a temporary owner-only file, synced, then moved into place
 * without replacing one that exists, so two starts at once keep one secret), reused after
 * that. A file open to other users, or empty, stops the hub with what to do. Only a digest of
 * the value is kept; {@link #matches} compares digests in constant time.
 */
public final class SecretFile {
    /** What a secret file is: its name, how it is called in messages, its size and encoding, and what deleting it costs. */
    public record Kind(String fileName, String what, int bytes, Function<byte[], String> encoding, String ifDeleted) {
    }

    private final Path file;
    /** SHA-256 of the value. */
    private final byte[] digest;

    private SecretFile(Path file, byte[] digest) {
        this.file = file;
        this.digest = digest;
    }

    /** Where it is. */
    public Path file() {
        return file;
    }

    /**
     * Reads {@code dataDir/kind.fileName()}, or makes it when there is none (the directory, when
     * missing, is made owner-only too).
     *
     * @throws IllegalStateException when the file is open to other users or empty (saying what to do)
     * @throws UncheckedIOException  when it can be neither read nor made
     */
    public static SecretFile loadOrCreate(Path dataDir, Kind kind) {
        Path f = dataDir.resolve(kind.fileName());
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir);
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            }
            if (!Files.exists(f)) {
                create(dataDir, f, kind);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new IllegalStateException(kind.what() + " " + f + " is open to other users ("
                        + PosixFilePermissions.toString(perms) + "); run `chmod 600 " + f + "`, or delete it to make a"
                        + " new one at the next start" + kind.ifDeleted());
            }
            String value = Files.readString(f, StandardCharsets.US_ASCII).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException(kind.what() + " " + f + " is empty; delete it and start the hub again"
                        + " to make a new one" + kind.ifDeleted());
            }
            return new SecretFile(f, sha256(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + kind.what() + " " + f + ": " + Failure.describe(e)
                    + "; is the data dir writable by this user?", e);
        }
    }

    private static void create(Path dir, Path f, Kind kind) throws IOException {
        Path tmp = writeTemporary(dir, kind);
        try {
            Files.move(tmp, f); // without REPLACE_EXISTING: a secret that exists is never overwritten
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new secret and the file that now holds it. */
    public record Replaced(SecretFile secret, String value) {
        @Override
        public String toString() {
            return "Replaced[" + secret + "]"; // never the value
        }
    }

    /**
     * Replaces the secret in {@code dataDir/kind.fileName()} with a new random one (written to a
     * temporary owner-only file, synced, then moved over the old one atomically: a reader sees the
     * old or the new secret, never a part). The value is returned once, for the caller to hand
     * to whoever asked for it; it is not kept.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public static Replaced replace(Path dataDir, Kind kind) {
        Path f = dataDir.resolve(kind.fileName());
        try {
            Path tmp = writeTemporary(dataDir, kind);
            String value = Files.readString(tmp, StandardCharsets.US_ASCII).strip();
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Replaced(new SecretFile(f, sha256(value)), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a new " + kind.what() + " to " + f + ": "
                    + Failure.describe(e) + "; is the data dir writable by this user?", e);
        }
    }

    private static Path writeTemporary(Path dir, Kind kind) throws IOException {
        byte[] raw = new byte[kind.bytes()];
        new SecureRandom().nextBytes(raw);
        Path tmp = dir.resolve(kind.fileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, kind.encoding().apply(raw) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        return tmp;
    }

    /**
     * Whether {@code candidate} is exactly this secret. Both sides are hashed and the digests
     * compared with {@link MessageDigest#isEqual}, so the time taken does not depend on where
     * the first difference is.
     */
    public boolean matches(String candidate) {
        return candidate != null && !candidate.isEmpty() && MessageDigest.isEqual(digest, sha256(candidate));
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
        return "SecretFile[" + file + "]"; // never the value
    }
}
