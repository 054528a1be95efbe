package org.savesync.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.savesync.agent.hub.HubStatus;

/** {@code GET /status} has a {@code hub} object only when a hub is configured. */
class StatusJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AgentResource.Counters ZERO = new AgentResource.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Test
    void noHubNoHubObject() throws Exception {
        var s = new AgentResource.Status("n", List.of("127.0.0.1:1"), 5, true, List.of(), ZERO, null);

        JsonNode json = JSON.readTree(JSON.writeValueAsString(ApiResponse.ok(s)));

        assertThat(json.path("data").has("hub")).isFalse();
        assertThat(json.path("data").path("nodeId").asText()).isEqualTo("n");
    }

    @Test
    void hubObjectWithConnectionAndRegistrations() throws Exception {
        HubStatus hub = new HubStatus("127.0.0.1:22000", "hubid", false, List.of(
                new HubStatus.GroupRegistration("g1", "photos", "pending", "attempt 2 failed: cannot connect", 8L),
                new HubStatus.GroupRegistration("g2", "docs", "registered", "handed over to the hub", null)));
        var s = new AgentResource.Status("n", List.of(), 5, true, List.of(), ZERO, hub);

        JsonNode h = JSON.readTree(JSON.writeValueAsString(ApiResponse.ok(s))).path("data").path("hub");

        assertThat(h.path("address").asText()).isEqualTo("127.0.0.1:22000");
        assertThat(h.path("nodeId").asText()).isEqualTo("hubid");
        assertThat(h.path("connected").isBoolean()).isTrue();
        assertThat(h.path("connected").asBoolean()).isFalse();
        assertThat(h.path("groups").get(0).path("state").asText()).isEqualTo("pending");
        assertThat(h.path("groups").get(0).path("nextAttemptSeconds").asLong()).isEqualTo(8);
        assertThat(h.path("groups").get(1).has("nextAttemptSeconds")).isFalse();
    }
}
