package org.savesync.server.auth;

import java.nio.file.Path;
import java.util.Base64;
import org.savesync.server.secret.SecretFile;

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
    private static final SecretFile.Kind KIND = new SecretFile.Kind(FILE, "the admin token", BYTES,
            raw -> Base64.getUrlEncoder().withoutPadding().encodeToString(raw), "");

    private final SecretFile secret;

    private AdminToken(SecretFile secret) {
        this.secret = secret;
    }

    /**
     * Reads {@code dataDir/admin-token}, or makes it when there is none (the directory, when
     * missing, is made owner-only too).
     *
     * @throws IllegalStateException when the file is readable or writable by others, or empty (with what to do)
     */
    public static AdminToken loadOrCreate(Path dataDir) {
        return new AdminToken(SecretFile.loadOrCreate(dataDir, KIND));
    }

    /** Where the token is (what the hub prints at startup; never the token itself). */
    public Path file() {
        return secret.file();
    }

    /**
     * Whether {@code candidate} is exactly this token, in constant time ({@link SecretFile#matches});
     * a candidate longer than {@value #MAX_CANDIDATE} characters is refused without hashing.
     */
    public boolean matches(String candidate) {
        return candidate != null && candidate.length() <= MAX_CANDIDATE && secret.matches(candidate);
    }

    @Override
    public String toString() {
        return "AdminToken[" + file() + "]";
    }
}
