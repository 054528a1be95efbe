package org.savesync.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerHeaderTest {
    @Test
    void theTokenOfABearerHeader() {
        assertThat(LocalTokenMechanism.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(LocalTokenMechanism.bearerToken("bearer   abc ")).isEqualTo("abc");
    }

    @Test
    void anythingElseIsNoToken() {
        assertThat(LocalTokenMechanism.bearerToken("Bearer")).isNull();
        assertThat(LocalTokenMechanism.bearerToken("Bearer ")).isNull();
        assertThat(LocalTokenMechanism.bearerToken("Bearerabc")).isNull();
        assertThat(LocalTokenMechanism.bearerToken("Basic abc")).isNull();
        assertThat(LocalTokenMechanism.bearerToken("Bearer a b")).isNull();
        assertThat(LocalTokenMechanism.bearerToken("Bearer " + "a".repeat(LocalTokenMechanism.MAX_HEADER))).isNull();
    }
}
