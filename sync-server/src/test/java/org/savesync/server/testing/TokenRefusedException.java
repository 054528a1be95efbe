package org.savesync.server.testing;

/**
 * Keycloak's token endpoint refused a grant (a wrong password, an unknown client...): the HTTP
 * status and the OAuth {@code error} / {@code error_description} of its answer.
 */
public class TokenRefusedException extends RuntimeException {
    private final int status;
    private final String error;
    private final String description;

    /** An answer with {@code status} and the OAuth error fields of its body. */
    public TokenRefusedException(String endpoint, int status, String error, String description) {
        super(endpoint + " refused the grant: HTTP " + status + ", " + error
                + (description.isEmpty() ? "" : " (" + description + ")"));
        this.status = status;
        this.error = error;
        this.description = description;
    }

    /** The HTTP status, e.g. 400 for wrong user credentials (Keycloak 26). */
    public int status() {
        return status;
    }

    /** The OAuth error code, e.g. {@code invalid_grant}. */
    public String error() {
        return error;
    }

    /** Keycloak's human-readable reason, e.g. "Invalid user credentials"; empty when none. */
    public String description() {
        return description;
    }
}
