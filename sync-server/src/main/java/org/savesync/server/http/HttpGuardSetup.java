package org.savesync.server.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.savesync.server.config.HubConfig;

/**
 * Installs the {@link RequestGuard} in front of every route of the main HTTP interface, with
 * {@code savesync.http.allowed-hosts} or, when that is not set, {@link AllowedHosts#defaults}
 * for the address HTTP is bound to.
 */
@ApplicationScoped
class HttpGuardSetup {
    private static final Logger LOG = Logger.getLogger(HttpGuardSetup.class);
    /** Before Quarkus' own filters (CORS, auth) and every route. */
    private static final int PRIORITY = 10_000;

    void install(@Observes Filters filters, HubConfig config,
                 @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String bindHost) {
        AllowedHosts hosts;
        try {
            hosts = config.http().allowedHosts().map(AllowedHosts::of).orElseGet(() -> AllowedHosts.defaults(bindHost));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("savesync.http.allowed-hosts: " + e.getMessage(), e);
        }
        LOG.debugf("the admin API answers to the hosts %s", hosts);
        RequestGuard guard = new RequestGuard(hosts);
        filters.register(guard::handle, PRIORITY);
    }
}
