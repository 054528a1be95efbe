package org.savesync.server.auth;

/**
 * The roles the admin API knows. With OIDC they come from the token's {@code realm_access.roles}
 * (Keycloak's realm roles); the local admin token has both.
 */
public final class Roles {
    /** May read everything the admin API shows. */
    public static final String VIEWER = "sync-viewer";
    /** May read and change. */
    public static final String ADMIN = "sync-admin";

    private Roles() {
    }
}
