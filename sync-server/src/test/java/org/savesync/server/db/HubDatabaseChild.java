package org.savesync.server.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;

/**
 * A JVM that opens the embedded database, writes a row, says "ready" and waits to be killed:
 * {@link HubDatabaseTest} kills it with SIGKILL to leave the postmaster orphaned.
 */
public final class HubDatabaseChild {
    private HubDatabaseChild() {
    }

    public static void main(String[] args) throws Exception {
        HubDatabase db = HubDatabase.open(Path.of(args[0]), Optional.empty(), Optional.empty(), Optional.empty());
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username().orElseThrow(),
                db.password().orElseThrow()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS survivor (note text)");
            s.execute("INSERT INTO survivor VALUES ('written before the kill')");
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
