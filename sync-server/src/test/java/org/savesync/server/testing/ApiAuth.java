package org.savesync.server.testing;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.savesync.server.auth.AuthMode;

/**
 * Makes the RestAssured requests of a {@code @QuarkusTest} send the hub's local admin token, as
 * an operator's {@code curl -H "Authorization: Bearer $(cat DATA_DIR/admin-token)"} does.
 */
public final class ApiAuth {
    private ApiAuth() {
    }

    /** The token the hub wrote to its data dir. */
    public static String localToken(AuthMode mode) {
        try {
            return Files.readString(mode.localToken().orElseThrow(() -> new IllegalStateException(
                    "the hub under test runs with OIDC, not with a local admin token")).file()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on every request without its own Authorization header sends the local admin token. */
    public static void sendLocalToken(AuthMode mode) {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + localToken(mode)).build();
    }

    /** Requests send no credential again. */
    public static void reset() {
        RestAssured.requestSpecification = null;
    }
}
