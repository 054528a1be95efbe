package org.savesync.server.admin;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import java.security.Principal;

/**
 * Who is making the current admin request: the one place every "who did it" (the audit log,
 * a policy's {@code updated_by}) comes from. The principal name of the request's {@link
 * SecurityIdentity} when an authentication mechanism set one, else {@value #ANONYMOUS} (no
 * authentication configured, an unauthenticated caller, or no request at all).
 */
@ApplicationScoped
public class Actor {
    /** The actor of a request without an authenticated principal. */
    public static final String ANONYMOUS = "anonymous";

    private final Instance<SecurityIdentity> identity;

    Actor(Instance<SecurityIdentity> identity) {
        this.identity = identity;
    }

    /** The caller's principal name, or {@value #ANONYMOUS}. */
    public String current() {
        if (!identity.isResolvable()) {
            return ANONYMOUS; // no security extension in this build
        }
        try {
            return nameOf(identity.get());
        } catch (ContextNotActiveException e) {
            return ANONYMOUS; // called outside a request (e.g. at startup)
        }
    }

    /** The principal name of {@code id}, or {@value #ANONYMOUS} when it is anonymous or nameless. */
    static String nameOf(SecurityIdentity id) {
        if (id == null || id.isAnonymous()) {
            return ANONYMOUS;
        }
        Principal p = id.getPrincipal();
        return p == null || p.getName() == null || p.getName().isBlank() ? ANONYMOUS : p.getName();
    }
}
