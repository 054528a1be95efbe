package org.savesync.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.engine.RegistrationRefusedException;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;

class HubRegistrationPolicyTest {
    @TempDir
    Path tmp;

    private final Map<NodeId, Long> enrolled = new HashMap<>();
    private final java.util.Set<NodeId> revoked = new java.util.HashSet<>();
    private EnrollmentToken enrollmentToken;
    private final NodeId agent = NodeKey.generate().nodeId();
    private final GroupId group = GroupId.random();
    private HubRegistrationPolicy policy;
    private String token;

    @BeforeEach
    void setUp() throws Exception {
        EnrollmentToken t = EnrollmentToken.loadOrCreate(tmp);
        token = Files.readString(t.file()).strip();
        enrollmentToken = t;
        policy = new HubRegistrationPolicy(new HubRegistrationPolicy.Enrollments() {
            @Override
            public boolean isEnrolled(NodeId node) {
                return enrolled.containsKey(node);
            }

            @Override
            public boolean isRevoked(NodeId node) {
                return revoked.contains(node);
            }

            @Override
            public void enroll(NodeId node, String name, long nowMillis) {
                enrolled.put(node, nowMillis);
            }
        }, t, () -> 1_700_000_000_000L);
    }

    @Test
    void anEnrolledNodeNeedsNoToken() throws Exception {
        enrolled.put(agent, 1L);

        policy.admit(agent, group, "");
        policy.admit(agent, group, null);

        assertThat(enrolled).containsEntry(agent, 1L);
    }

    @Test
    void theHubsTokenEnrollsTheNodeOnceAndForAll() throws Exception {
        policy.admit(agent, group, token);

        assertThat(enrolled).containsEntry(agent, 1_700_000_000_000L);
        policy.admit(agent, GroupId.random(), "");
    }

    @Test
    void aWrongTokenIsRefusedAndEnrollsNobody() {
        String wrong = token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a");

        assertThatThrownBy(() -> policy.admit(agent, group, wrong)).isInstanceOf(RegistrationRefusedException.class)
                .hasMessageContaining("not the hub's").hasMessageContaining("--enroll-token TOKEN")
                .hasMessageContaining(tmp.resolve(EnrollmentToken.FILE).toString());
        assertThat(enrolled).isEmpty();
    }

    @Test
    void noTokenTellsTheAgentHowToEnroll() {
        for (String none : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> policy.admit(agent, group, none)).isInstanceOf(RegistrationRefusedException.class)
                    .hasMessage("this agent is not enrolled with the hub: start it with --enroll-token TOKEN (the hub's"
                            + " operator finds the token in " + tmp.resolve(EnrollmentToken.FILE) + ")");
        }
        assertThat(enrolled).isEmpty();
    }

    @Test
    void aRevokedNodeIsRefusedEvenWithTheHubsToken() {
        enrolled.put(agent, 1L);
        revoked.add(agent);

        for (String t : new String[] {"", token}) {
            assertThatThrownBy(() -> policy.admit(agent, group, t)).isInstanceOf(RegistrationRefusedException.class)
                    .hasMessageContaining("revoked by an administrator");
        }
    }

    @Test
    void aRotatedTokenReplacesTheOldOneAtOnceInTheSameOwnerOnlyFile() throws Exception {
        String fresh = enrollmentToken.rotate();

        assertThat(fresh).isNotEqualTo(token).hasSize(token.length());
        assertThat(Files.readString(enrollmentToken.file()).strip()).isEqualTo(fresh);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(enrollmentToken.file()))).isEqualTo("rw-------");
        assertThatThrownBy(() -> policy.admit(agent, group, token)).isInstanceOf(RegistrationRefusedException.class)
                .hasMessageContaining("not the hub's");
        policy.admit(agent, group, fresh);
        assertThat(enrolled).containsKey(agent);
        assertThat(EnrollmentToken.loadOrCreate(tmp).matches(fresh)).isTrue(); // kept across a restart
    }
}
