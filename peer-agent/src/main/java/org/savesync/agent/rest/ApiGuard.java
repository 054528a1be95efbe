package org.savesync.agent.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.savesync.agent.service.AgentService;

/**
 * Guards the local API, before any resource runs:
 * <ol>
 *   <li>a browser page from another origin is refused (403): a request carrying an
 *       {@code Origin} that is not this API's own, or {@code Sec-Fetch-Site: cross-site};</li>
 *   <li>a {@code Host} other than this machine's loopback names is refused (403), so a web
 *       page cannot reach the API through a DNS name rebound to 127.0.0.1;</li>
 *   <li>a request without the token from the data dir's {@code api-token} is refused (401).
 *       The token goes in {@code Authorization: Bearer TOKEN} (or {@code X-SaveSync-Token}).</li>
 * </ol>
 */
public class ApiGuard {
    public static final String TOKEN_HEADER = "X-SaveSync-Token";

    private final AgentService agent;

    ApiGuard(AgentService agent) {
        this.agent = agent;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext ctx) {
        int port = agent.apiPort();
        Set<String> ownHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        String origin = ctx.getHeaderString("Origin");
        if (origin != null && !ownHosts.contains(stripScheme(origin))) {
            return refuse(Response.Status.FORBIDDEN, "requests from other web pages are refused (Origin " + origin + ")");
        }
        if ("cross-site".equalsIgnoreCase(ctx.getHeaderString("Sec-Fetch-Site"))) {
            return refuse(Response.Status.FORBIDDEN, "cross-site requests are refused");
        }
        String host = ctx.getHeaderString(HttpHeaders.HOST);
        if (host != null && !ownHosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
            return refuse(Response.Status.FORBIDDEN, "the API answers only to 127.0.0.1:" + port + ", not to Host " + host);
        }
        String given = ctx.getHeaderString(TOKEN_HEADER);
        String auth = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).strip();
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                agent.token().getBytes(StandardCharsets.UTF_8))) {
            return refuse(Response.Status.UNAUTHORIZED, (given == null ? "missing" : "wrong")
                    + " API token: send 'Authorization: Bearer TOKEN' with the token from "
                    + agent.dataDir().resolve("api-token"));
        }
        return Optional.empty();
    }

    private static String stripScheme(String origin) {
        String o = origin.toLowerCase(java.util.Locale.ROOT);
        return o.startsWith("http://") ? o.substring(7) : "\0" + o; // only plain http from this machine is ours
    }

    private static Optional<Response> refuse(Response.Status status, String message) {
        return Optional.of(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiResponse.error(message)).build());
    }
}
