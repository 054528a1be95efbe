package org.savesync.server.service;

import java.nio.file.Path;
import java.util.Locale;
import org.savesync.core.identity.Base32;
import org.savesync.server.secret.SecretFile;

/**
 * The secret an agent presents once to enroll with the hub ({@code savesync run --hub ...
 * --enroll-token TOKEN}). Made at the hub's first start: {@value #BYTES} random bytes
 * (160 bits) in lowercase base32, in {@code DATA_DIR/}{@value #FILE}, owner-only (0600).
 * It is kept across restarts, so agents enrolled later keep working; the operator reads the
 * file. An administrator may {@link #rotate} it: the old token stops working at once (agents
 * enrolled already are not affected; they never need it again). Its value is never logged nor
 * shown by {@link #toString()}.
 */
public final class EnrollmentToken {
    public static final String FILE = "enrollment-token";
    static final int BYTES = 20;
    private static final SecretFile.Kind KIND = new SecretFile.Kind(FILE, "the enrollment token", BYTES, Base32::encode,
            " (agents not enrolled yet then need the new token)");

    private final Path dataDir;
    private volatile SecretFile secret;

    private EnrollmentToken(Path dataDir, SecretFile secret) {
        this.dataDir = dataDir;
        this.secret = secret;
    }

    /**
     * Reads {@code dataDir/enrollment-token}, or makes it when there is none (the directory,
     * when missing, is made owner-only too).
     *
     * @throws IllegalStateException when the file is open to other users or empty (with what to do)
     */
    public static EnrollmentToken loadOrCreate(Path dataDir) {
        return new EnrollmentToken(dataDir, SecretFile.loadOrCreate(dataDir, KIND));
    }

    /** Where the token is (for messages that tell an operator where to look). */
    public Path file() {
        return secret.file();
    }

    /**
     * Whether {@code candidate} is this token (surrounding blanks and letter case ignored), in
     * constant time ({@link SecretFile#matches}).
     */
    public boolean matches(String candidate) {
        return candidate != null && !candidate.isBlank() && secret.matches(candidate.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * Replaces the token with a new random one in the same file; from the return on, only the new
     * one {@link #matches}. Returns the new value (the caller hands it to the administrator once).
     *
     * @throws java.io.UncheckedIOException when the file cannot be written (the old token stays)
     */
    public synchronized String rotate() {
        SecretFile.Replaced r = SecretFile.replace(dataDir, KIND);
        secret = r.secret();
        return r.value();
    }

    @Override
    public String toString() {
        return "EnrollmentToken[" + file() + "]";
    }
}
