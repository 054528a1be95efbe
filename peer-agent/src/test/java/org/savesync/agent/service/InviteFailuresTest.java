package org.savesync.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.InviteRefusedException;

/** A failed invite request becomes an API error that says whether the authority was unreachable or said no. */
class InviteFailuresTest {
    private static final String HUB = "the hub 127.0.0.1:22000#xyz";

    @Test
    void unreachableAuthorityIs503() {
        ApiProblem p = InviteFailures.problem(new CompletionException(new ConnectException("Connection refused")), HUB);
        assertThat(p.httpStatus()).isEqualTo(503);
        assertThat(p.getMessage()).startsWith("cannot reach the group's authority, " + HUB).contains("Connection refused");

        ApiProblem t = InviteFailures.problem(new TimeoutException(), HUB);
        assertThat(t.httpStatus()).isEqualTo(503);
        assertThat(t.getMessage()).startsWith("cannot reach the group's authority").contains("no answer in time");
    }

    @Test
    void refusalIs403() {
        ApiProblem p = InviteFailures.problem(new ExecutionException(new SecurityException("node x may not invite")), HUB);
        assertThat(p.httpStatus()).isEqualTo(403);
        assertThat(p.getMessage()).contains("refused to make an invite").contains("node x may not invite");

        ApiProblem q = InviteFailures.problem(new InviteRefusedException(InviteRefusedException.Reason.REVOKED,
                GroupId.random()), HUB);
        assertThat(q.httpStatus()).isEqualTo(403);
    }

    @Test
    void notTheAuthorityIs409AsBefore() {
        ApiProblem p = InviteFailures.problem(new IllegalStateException("this node is not the authority"), "this node");
        assertThat(p.httpStatus()).isEqualTo(409);
        assertThat(p.getMessage()).isEqualTo("this node is not the authority");
    }

    @Test
    void theEnginesTicketErrorsSplitIntoRefusedAndUnreachable() {
        ApiProblem refused = InviteFailures.problem(new org.savesync.core.engine.TicketException(
                org.savesync.core.protocol.Message.ErrorKind.NOT_A_MEMBER, "only members may ask"), "the hub (h)");
        assertThat(refused.httpStatus()).isEqualTo(403);
        ApiProblem away = InviteFailures.problem(new org.savesync.core.engine.TicketException(
                org.savesync.core.protocol.Message.ErrorKind.UNSPECIFIED, "cannot reach the group's authority"), "member abc");
        assertThat(away.httpStatus()).isEqualTo(503);
        assertThat(away.getMessage()).contains("cannot reach the group's authority, member abc");
    }
}
