package org.savesync.server.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.savesync.server.db.HubDatabase;

/**
 * The hub's own embedded PostgreSQL (zonky's binaries from Maven Central, started by
 * {@link HubDatabase} exactly as the hub starts it) in a temporary directory, stopped after
 * the run. Needs nothing installed: this is the database every test run has.
 */
public class EmbeddedPostgres extends PostgresTestDatabase {
    private HubDatabase db;
    private Path dir;

    @Override
    protected Server server() throws Exception {
        dir = Files.createTempDirectory("savesync-embedded-pg");
        db = HubDatabase.open(dir, Optional.empty(), Optional.empty(), Optional.empty());
        URI u = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        return new Server(u.getHost(), u.getPort(), db.username().orElse("postgres"), db.password().orElse(""));
    }

    @Override
    protected void stopServer() throws Exception {
        if (db != null) {
            db.close();
        }
        if (dir != null) {
            try (var all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
