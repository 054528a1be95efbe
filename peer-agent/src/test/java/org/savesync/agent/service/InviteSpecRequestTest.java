package org.savesync.agent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.Role;

/** What the agent asks the group's authority for, from the options of {@code savesync group invite}. */
class InviteSpecRequestTest {
    private static final NodeId ME = NodeKey.generate().nodeId();
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void optionsBecomeTheInvitesLimitAndRole() {
        var single = AgentService.inviteSpec(DAY, false, null, Role.MEMBER, ME);
        assertThat(single.maxUses()).isEqualTo(1);
        assertThat(single.role()).isEqualTo(Role.MEMBER);
        assertThat(single.createdBy()).isEqualTo("node " + ME);
        assertThat(AgentService.inviteSpec(DAY, true, null, Role.MEMBER, ME).maxUses()).isEqualTo(100);
        assertThat(AgentService.inviteSpec(DAY, false, 5, Role.READER, ME).maxUses()).as("--uses 5 alone").isEqualTo(5);
        assertThat(AgentService.inviteSpec(DAY, false, 1, Role.READER, ME).role()).isEqualTo(Role.READER);
    }

    @Test
    void valuesOutOfRangeAreABadRequestSayingWhy() {
        assertThatThrownBy(() -> AgentService.inviteSpec(DAY, true, 10_001, Role.MEMBER, ME))
                .isInstanceOf(ApiProblem.BadRequest.class).hasMessageContaining("1 to 10000 joiners");
        assertThatThrownBy(() -> AgentService.inviteSpec(Duration.ofSeconds(30), false, null, Role.MEMBER, ME))
                .isInstanceOf(ApiProblem.BadRequest.class).hasMessageContaining("between 1 minute and 30 days");
    }
}
