package org.savesync.server.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.savesync.core.failure.Failure;
import org.savesync.server.service.HubService;

/** Ready when the sync engine accepts peers and the database answers. */
@Readiness
@ApplicationScoped
public class HubReadiness implements HealthCheck {
    static final int DB_TIMEOUT_SECONDS = 2;

    private final HubService hub;
    private final DataSource dataSource;

    HubReadiness(HubService hub, DataSource dataSource) {
        this.hub = hub;
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("savesync hub");
        boolean engine = hub.running();
        r.withData("engine", engine ? "running" : "not running");
        if (engine) {
            r.withData("address", hub.address().toString());
        }
        String db;
        try (Connection c = dataSource.getConnection()) {
            db = c.isValid(DB_TIMEOUT_SECONDS) ? "answers" : "no answer within " + DB_TIMEOUT_SECONDS + " s";
        } catch (SQLException e) {
            db = "unreachable: " + Failure.describe(e);
        }
        r.withData("database", db);
        return r.status(engine && db.equals("answers")).build();
    }
}
