package org.savesync.server.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.savesync.server.service.HubService;

/**
 * Alive while the sync engine runs. The database is not part of it: restarting the hub does
 * not bring back a database that is down, readiness reports that instead.
 */
@Liveness
@ApplicationScoped
public class HubLiveness implements HealthCheck {
    private final HubService hub;

    HubLiveness(HubService hub) {
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("savesync hub engine").status(hub.running()).build();
    }
}
