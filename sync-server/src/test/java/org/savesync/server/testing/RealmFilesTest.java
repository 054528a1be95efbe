package org.savesync.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The test-only realm is the savesync realm under another name, so a token from it differs
 * from a good one only in its issuer and key: the two files must not drift apart. And the
 * harness's constants are the realm file's dev credentials.
 */
class RealmFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOtherRealmIsTheSavesyncRealmUnderAnotherName() throws Exception {
        ObjectNode savesync = (ObjectNode) savesyncRealm();
        ObjectNode other;
        try (InputStream in = RealmFilesTest.class.getResourceAsStream("/keycloak/other-realm.json")) {
            other = (ObjectNode) JSON.readTree(in);
        }
        assertThat(savesync.path("realm").asText()).isEqualTo(Keycloak.REALM);
        assertThat(other.path("realm").asText()).isEqualTo(Keycloak.OTHER_REALM);
        for (ObjectNode realm : new ObjectNode[] {savesync, other}) {
            realm.remove("realm");
            realm.remove("displayName");
            realm.remove("attributes");
        }
        assertThat(other).as("other-realm.json = savesync-realm.json but for realm, displayName and attributes")
                .isEqualTo(savesync);
    }

    @Test
    void theHarnessUsesTheRealmFilesDevCredentials() throws Exception {
        JsonNode realm = savesyncRealm();
        assertThat(password(realm, Keycloak.ADMIN_USER)).isEqualTo(Keycloak.ADMIN_PASSWORD);
        assertThat(password(realm, Keycloak.VIEWER_USER)).isEqualTo(Keycloak.VIEWER_PASSWORD);
        assertThat(client(realm, Keycloak.ADMIN_CLI).path("secret").asText()).isEqualTo(Keycloak.ADMIN_CLI_SECRET);
        assertThat(client(realm, Keycloak.HUB_CLIENT).path("secret").asText()).isEqualTo(Keycloak.HUB_CLIENT_SECRET);
    }

    private static JsonNode savesyncRealm() throws Exception {
        Path file = KeycloakProcess.scriptsDir().resolve("savesync-realm.json");
        return JSON.readTree(Files.readString(file));
    }

    private static String password(JsonNode realm, String user) {
        for (JsonNode u : realm.path("users")) {
            if (u.path("username").asText().equals(user)) {
                return u.path("credentials").path(0).path("value").asText();
            }
        }
        throw new AssertionError("no user " + user + " in the realm file");
    }

    private static JsonNode client(JsonNode realm, String clientId) {
        for (JsonNode c : realm.path("clients")) {
            if (c.path("clientId").asText().equals(clientId)) {
                return c;
            }
        }
        throw new AssertionError("no client " + clientId + " in the realm file");
    }
}
