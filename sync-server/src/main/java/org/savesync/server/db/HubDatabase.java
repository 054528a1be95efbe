package org.savesync.server.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.savesync.core.failure.Failure;

/**
 * The hub's PostgreSQL, opened before Quarkus starts so that the datasource only has to be
 * told where it is. Without an external URL the hub runs its own (see {@link EmbeddedServer}:
 * binaries and data under {@code DATA_DIR/postgres}, recovered after a {@code kill -9});
 * with one ({@code SYNC_DB_URL}) it checks that the server answers and that the credentials
 * work, so a wrong URL is one clear line instead of a Quarkus stack trace.
 */
public final class HubDatabase implements AutoCloseable {
    /** The database the hub keeps its metadata in, in the embedded server. */
    public static final String DATABASE = "savesync";
    /** How long the external server may take to answer the first connection. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private final EmbeddedServer embedded;

    private HubDatabase(String jdbcUrl, Optional<String> username, Optional<String> password, EmbeddedServer embedded) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.embedded = embedded;
    }

    /**
     * Opens the hub's database: the external server at {@code externalUrl} when one is given
     * (not blank), otherwise the embedded one under {@code dataDir/postgres}, started now.
     *
     * @throws HubDatabaseException with what went wrong and what to do
     */
    public static HubDatabase open(Path dataDir, Optional<String> externalUrl, Optional<String> user,
                                   Optional<String> password) {
        Optional<String> url = externalUrl.map(String::strip).filter(s -> !s.isEmpty());
        if (url.isPresent()) {
            Optional<String> u = user.filter(s -> !s.isBlank());
            Optional<String> p = password.filter(s -> !s.isEmpty());
            checkUrl(url.get());
            checkConnects(url.get(), u, p);
            return new HubDatabase(url.get(), u, p, null);
        }
        EmbeddedServer server = EmbeddedServer.start(dataDir);
        return new HubDatabase("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + DATABASE,
                Optional.of(EmbeddedServer.SUPERUSER), Optional.of(server.password()), server);
    }

    /** Refuses anything but a PostgreSQL JDBC URL, saying what one looks like. */
    public static void checkUrl(String url) {
        if (!url.startsWith("jdbc:postgresql://") || url.length() == "jdbc:postgresql://".length()) {
            throw new HubDatabaseException("SYNC_DB_URL must be a PostgreSQL JDBC URL like"
                    + " jdbc:postgresql://HOST:5432/DATABASE, not '" + url + "'");
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<String> username() {
        return username;
    }

    public Optional<String> password() {
        return password;
    }

    /** True when the hub runs the server itself. */
    public boolean embedded() {
        return embedded != null;
    }

    /** Stops the embedded server (and waits for it); nothing for an external one. Idempotent. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static void checkConnects(String url, Optional<String> user, Optional<String> password) {
        Properties props = new Properties();
        user.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        try (Connection c = new org.postgresql.Driver().connect(url, props)) {
            if (c == null) {
                throw new HubDatabaseException("SYNC_DB_URL '" + url + "' is not a URL the PostgreSQL driver accepts;"
                        + " write it as jdbc:postgresql://HOST:5432/DATABASE");
            }
            c.isValid(CONNECT_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            throw new HubDatabaseException(connectFailure(url, e), e);
        }
    }

    private static String connectFailure(String url, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = "cannot connect to the database at SYNC_DB_URL " + url + ": " + Failure.describe(e);
        if (state.startsWith("28")) {
            return what + "; check SYNC_DB_USER and SYNC_DB_PASSWORD";
        }
        if (state.equals("3D000")) {
            return what + "; create the database first (createdb), or correct the name in SYNC_DB_URL";
        }
        if (state.startsWith("08")) {
            return what + "; is PostgreSQL running there and reachable from this machine? Unset SYNC_DB_URL to use"
                    + " the embedded one";
        }
        return what;
    }
}
