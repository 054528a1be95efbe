package org.savesync.server.testing;

/**
 * The PostgreSQL server already running on this machine: 127.0.0.1:5432, user
 * {@code postgres}, trust authentication. Tests that use it carry {@link RequiresExternalPostgres}
 * so they are skipped when nothing answers there.
 */
public class ExternalPostgres extends PostgresTestDatabase {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;

    @Override
    protected Server server() {
        return new Server(HOST, PORT, "postgres", "");
    }
}
