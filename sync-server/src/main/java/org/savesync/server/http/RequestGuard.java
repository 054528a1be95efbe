package org.savesync.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * The checks every request to the main HTTP interface passes before anything else sees it:
 * its {@code Host} names the hub ({@link AllowedHosts}; a page that rebinds its own domain to
 * 127.0.0.1 sends its own domain), and a request that may change state ({@code POST},
 * {@code PUT}, {@code PATCH}, {@code DELETE}, anything but {@code GET}, {@code HEAD} and
 * {@code OPTIONS}) does not come from a browser on another site ({@code Sec-Fetch-Site} other
 * than {@code same-origin} or {@code none}, or an {@code Origin} whose host is not allowed).
 * A refused request gets 403 and {@code {"status":"error","error":"…"}}.
 */
public final class RequestGuard {
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final int SHOWN = 80;

    private final AllowedHosts hosts;

    public RequestGuard(AllowedHosts hosts) {
        this.hosts = hosts;
    }

    /** Why the request is refused, or empty when it may go on. */
    public Optional<String> refusal(HttpMethod method, String host, String origin, String fetchSite) {
        if (host == null || host.isBlank()) {
            return Optional.of("the request has no Host header; this hub answers only to " + hosts);
        }
        if (!hosts.allows(host)) {
            return Optional.of("the Host '" + shown(host) + "' is not a name of this hub (allowed: " + hosts
                    + "); if you reach the hub under that name, add it to savesync.http.allowed-hosts");
        }
        if (SAFE.contains(method)) {
            return Optional.empty();
        }
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return Optional.of("a " + shown(fetchSite) + " browser request may not " + method
                    + " here; the admin API takes changes only from its own pages or from programs");
        }
        if (origin != null && !allowedOrigin(origin)) {
            return Optional.of("a browser request from the origin '" + shown(origin) + "' may not " + method
                    + " here; the admin API takes changes only from " + hosts);
        }
        return Optional.empty();
    }

    private boolean allowedOrigin(String origin) {
        try {
            URI u = new URI(origin);
            return u.getRawAuthority() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    && hosts.allows(u.getRawAuthority());
        } catch (URISyntaxException e) {
            return false; // including "null", which a sandboxed or privacy-sensitive context sends
        }
    }

    /** Vert.x handler: refuses with 403 or passes the request on. */
    public void handle(RoutingContext rc) {
        var req = rc.request();
        // HTTP/2 (e.g. Java's HttpClient after its h2c upgrade) names the host in :authority, not in a Host header.
        String host = req.getHeader(HttpHeaders.HOST);
        if ((host == null || host.isBlank()) && req.authority() != null) {
            var a = req.authority();
            host = a.port() >= 0 ? a.host() + ":" + a.port() : a.host();
        }
        Optional<String> why = refusal(req.method(), host, req.getHeader(HttpHeaders.ORIGIN),
                req.getHeader("Sec-Fetch-Site"));
        if (why.isEmpty()) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", "error").put("error", why.get()).encode());
    }

    private static String shown(String value) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(SHOWN).forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return value.length() > SHOWN ? b + "…" : b.toString();
    }
}
