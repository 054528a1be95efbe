package org.savesync.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import java.lang.reflect.Proxy;
import java.security.Principal;
import org.junit.jupiter.api.Test;

/** The name an {@link Actor} records for each kind of identity. */
class ActorTest {
    private static SecurityIdentity identity(boolean anonymous, Principal principal) {
        return (SecurityIdentity) Proxy.newProxyInstance(ActorTest.class.getClassLoader(),
                new Class<?>[] {SecurityIdentity.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isAnonymous" -> anonymous;
                    case "getPrincipal" -> principal;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void anAuthenticatedPrincipalIsNamed() {
        assertThat(Actor.nameOf(identity(false, () -> "alice@example.org"))).isEqualTo("alice@example.org");
    }

    @Test
    void anonymousOrNamelessIdentitiesAreAnonymous() {
        assertThat(Actor.nameOf(null)).isEqualTo(Actor.ANONYMOUS);
        assertThat(Actor.nameOf(identity(true, () -> "ignored"))).isEqualTo(Actor.ANONYMOUS);
        assertThat(Actor.nameOf(identity(false, null))).isEqualTo(Actor.ANONYMOUS);
        assertThat(Actor.nameOf(identity(false, () -> " "))).isEqualTo(Actor.ANONYMOUS);
    }
}
