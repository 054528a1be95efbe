package org.savesync.server.cli;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.db.HubDatabase;
import org.savesync.server.service.HubService;

/**
 * Runs the hub: opens the database first (an embedded PostgreSQL takes a few seconds and
 * Quarkus' datasource must know where it is), tells the application where everything is
 * through system properties, runs Quarkus until it stops, then closes the database.
 *
 * <p>Order at exit matters: the application may write to the database while it stops, so the
 * embedded PostgreSQL stops only after Quarkus has. On Ctrl-C / SIGTERM Quarkus' shutdown hook
 * stops the application, {@link Quarkus#run} returns here and the database is closed; the
 * shutdown hook registered here waits for that (at most {@link #DB_CLOSE_WAIT}) and closes the
 * database itself if it never happens.
 */
public final class HubLauncher implements HubCommand.Launcher {
    static final Duration DB_CLOSE_WAIT = Duration.ofSeconds(90);

    /**
     * Loggers that say at INFO (or WARN, under load) what an operator needs not read, and that log before
     * Quarkus' log settings apply or when a fault stops Quarkus before they do (then to standard error,
     * beside the one line of the fault). Held here: java.util.logging keeps loggers weakly.
     */
    private static final List<java.util.logging.Logger> QUIETED = List.of(quiet("io.zonky", Level.WARNING),
            quiet("org.hibernate", Level.WARNING), quiet("io.netty.channel.DefaultChannelId", Level.SEVERE),
            quiet("org.savesync.server.db", Level.WARNING)); // "created the database …" comes before Quarkus' settings

    private static java.util.logging.Logger quiet(String name, Level level) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(level);
        return l;
    }

    @Override
    public int launch(HubCommand.Settings s) {
        HubDatabase db = HubDatabase.open(s.dataDir(), s.dbUrl(), s.dbUser(), s.dbPassword());
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                closed.await(DB_CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            db.close();
        }, "savesync-database-closer");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicInteger exit = new AtomicInteger();
        try {
            System.setProperty("savesync.data-dir", s.dataDir().toString());
            s.listen().ifPresent(l -> System.setProperty("savesync.listen", l));
            s.httpPort().ifPresent(p -> System.setProperty("quarkus.http.port", Integer.toString(p)));
            s.managementPort().ifPresent(p -> System.setProperty("quarkus.management.port", Integer.toString(p)));
            System.setProperty("savesync.db.url", db.jdbcUrl());
            db.username().ifPresent(u -> System.setProperty("savesync.db.username", u));
            db.password().ifPresent(p -> System.setProperty("savesync.db.password", p));
            Quarkus.run(Hub.class, (code, failure) -> {
                exit.set(code);
                if (failure != null) {
                    System.err.println("savesync-server: " + StartupFailure.describe(failure, managementPort(s)));
                }
            }, new String[0]);
        } finally {
            db.close();
            closed.countDown();
        }
        return exit.get();
    }

    /** The management port of this run: --management-port, else $QUARKUS_MANAGEMENT_PORT, else the default. */
    static int managementPort(HubCommand.Settings s) {
        return s.managementPort().orElseGet(() -> {
            String v = System.getProperty("quarkus.management.port", System.getenv("QUARKUS_MANAGEMENT_PORT"));
            try {
                return v == null ? HubCommand.DEFAULT_MANAGEMENT_PORT : Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                return HubCommand.DEFAULT_MANAGEMENT_PORT;
            }
        });
    }

    /**
     * The Quarkus application: everything runs in the beans. Once all of them started (the
     * engine accepts peers, the HTTP port is bound) it prints the hub line and where the admin API's
     * credential comes from (the path of the local admin token), then waits for the end.
     */
    public static final class Hub implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Arc.container().instance(HubService.class).get().announce(System.out);
            Arc.container().instance(AuthMode.class).get().announce(System.out);
            Quarkus.waitForExit();
            return 0;
        }
    }
}
