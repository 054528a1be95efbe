package org.savesync.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Decoding the claims tests assert on, and refusing what is not a JWT. */
class JwtTest {
    private static String token(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void readsIssuerAudienceRolesAndExpiry() {
        Jwt jwt = Jwt.decode(token("{\"iss\":\"http://127.0.0.1:1/realms/savesync\",\"aud\":[\"savesync-hub\",\"x\"],"
                + "\"azp\":\"savesync-admin-cli\",\"exp\":1700000000,\"realm_access\":{\"roles\":[\"sync-admin\"]}}"));
        assertThat(jwt.issuer()).isEqualTo("http://127.0.0.1:1/realms/savesync");
        assertThat(jwt.audience()).containsExactly("savesync-hub", "x");
        assertThat(jwt.realmRoles()).containsExactly("sync-admin");
        assertThat(jwt.authorizedParty()).isEqualTo("savesync-admin-cli");
        assertThat(jwt.expiresAt()).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(jwt.header().path("alg").asText()).isEqualTo("RS256");
    }

    @Test
    void anAudienceOfOneIsAString() {
        Jwt jwt = Jwt.decode(token("{\"aud\":\"savesync-hub\"}"));
        assertThat(jwt.audience()).containsExactly("savesync-hub");
        assertThat(jwt.realmRoles()).isEmpty();
        assertThatThrownBy(jwt::expiresAt).hasMessageContaining("no numeric exp");
    }

    @Test
    void refusesWhatIsNotAJwt() {
        assertThatThrownBy(() -> Jwt.decode("a.b")).hasMessageContaining("2 dot-separated parts instead of 3");
        assertThatThrownBy(() -> Jwt.decode("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Jwt.decode("!!.e30.x")).hasMessageContaining("header is not base64url JSON");
        assertThatThrownBy(() -> Jwt.decode(token("[1]"))).hasMessageContaining("payload is not a JSON object");
        assertThatThrownBy(() -> Jwt.decode("x".repeat(Jwt.MAX_TOKEN_CHARS + 1))).hasMessageContaining("longer than");
    }
}
