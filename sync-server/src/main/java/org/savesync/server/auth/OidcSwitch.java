package org.savesync.server.auth;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Turns Quarkus OIDC's default tenant on exactly when an issuer is configured: unless someone
 * sets {@code quarkus.oidc.tenant-enabled} themselves, its value is whether
 * {@code quarkus.oidc.auth-server-url} is set (not blank). The hub's OIDC settings
 * (application type, audience, role claim) live in application.properties either way, and
 * Quarkus refuses to start a tenant with settings but no server URL; so without this a hub
 * with no Keycloak would not start, and with {@code tenant-enabled=false} written down an
 * operator would have to set two keys to turn OIDC on. Registered through
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
public final class OidcSwitch implements ConfigSourceInterceptor {
    static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";
    static final String AUTH_SERVER_URL = "quarkus.oidc.auth-server-url";
    /**
     * Values from sources below this ordinal are defaults nobody chose (Quarkus' generated
     * defaults sit near {@link Integer#MIN_VALUE}); application.properties is 250, the
     * environment 300, system properties 400.
     */
    static final int CHOSEN_ORDINAL = 100;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!TENANT_ENABLED.equals(name) || value != null && value.getConfigSourceOrdinal() >= CHOSEN_ORDINAL) {
            return value;
        }
        ConfigValue url = context.proceed(AUTH_SERVER_URL);
        boolean issuer = url != null && url.getValue() != null && !url.getValue().isBlank();
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(issuer))
                .withConfigSourceName(OidcSwitch.class.getSimpleName() + " (on when " + AUTH_SERVER_URL + " is set)")
                .withConfigSourceOrdinal(CHOSEN_ORDINAL).build();
    }
}
