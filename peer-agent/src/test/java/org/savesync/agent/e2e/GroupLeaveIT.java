package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.testsupport.TreeBuilder;

/**
 * {@code savesync group leave} tells the group, with real processes: a hub, a registered
 * creator A and a member B that joined with a hub ticket. After B leaves, the hub's admin API and
 * A's {@code savesync group show} no longer list B.
 *
 * <p>Run: see {@link HubStoreAndForwardIT}.
 */
class GroupLeaveIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    @Test
    void aMemberThatLeavesIsDroppedByTheHubAndTheOtherMembers() throws Exception {
        HubProcess hub = env.hub("hub").start();
        AgentProcess a = env.agent("a").withHub(hub.address(), hub.enrollmentToken());
        AgentProcess b = env.agent("b");
        TreeBuilder.at(a.folder()).file("from-a.txt", "from A\n");
        a.start();
        b.start();
        String group = HubSteps.createGroup(a, "team");
        HubSteps.awaitRegistered(a, hub, group);
        HubSteps.join(b, HubSteps.hubTicket(a, hub, group), group);
        String bId = b.api().status().path("nodeId").asText();
        await("A lists B").atMost(DEADLINE).until(() -> HubSteps.members(a, group).contains(bId));
        assertThat(hub.api().members(group).toString()).contains(bId);

        CliResult left = b.cli("group", "leave", group).ok();
        assertThat(left.stdout()).contains("left group " + group).contains("took this agent off the member list");

        await("the hub's member list drops B").atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> !hub.api().members(group).toString().contains(bId));
        await("A's `savesync group show` drops B").atMost(DEADLINE).pollInterval(Duration.ofMillis(250))
                .until(() -> !a.cli("group", "show", group).ok().stdout().contains(bId));
        assertThat(a.cli("group", "show", group).ok().stdout()).contains(a.api().status().path("nodeId").asText());
    }
}
