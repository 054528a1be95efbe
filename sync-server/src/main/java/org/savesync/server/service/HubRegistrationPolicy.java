package org.savesync.server.service;

import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import org.savesync.core.engine.RegistrationPolicy;
import org.savesync.core.engine.RegistrationRefusedException;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * Who may register groups with this hub (hand their authority over to it): nodes that
 * enrolled, and a node presenting the hub's {@link EnrollmentToken}, which enrolls it on the
 * way. A node whose enrollment an administrator revoked is refused, token or not. Joiners of a
 * group never come here; they only need that group's invite.
 */
public final class HubRegistrationPolicy implements RegistrationPolicy {
    private static final Logger LOG = Logger.getLogger(HubRegistrationPolicy.class);

    /** The part of the node registry enrollment needs. */
    public interface Enrollments {
        boolean isEnrolled(NodeId node);

        /** An administrator revoked the node's enrollment. */
        boolean isRevoked(NodeId node);

        void enroll(NodeId node, String name, long nowMillis);
    }

    /** The refusal of a node whose enrollment an administrator revoked. */
    public static final String REVOKED = "this agent's enrollment with the hub was revoked by an administrator: it"
            + " cannot register new groups here (the groups it has keep syncing); ask the hub's operator";

    private final Enrollments enrollments;
    private final EnrollmentToken token;
    private final LongSupplier clock;

    public HubRegistrationPolicy(Enrollments enrollments, EnrollmentToken token, LongSupplier clock) {
        this.enrollments = enrollments;
        this.token = token;
        this.clock = clock;
    }

    @Override
    public void admit(NodeId node, GroupId group, String enrollToken) throws RegistrationRefusedException {
        // Before the token: a revoked node stays out even with the hub's (current) token.
        if (enrollments.isRevoked(node)) {
            throw new RegistrationRefusedException(REVOKED);
        }
        if (enrollments.isEnrolled(node)) {
            return;
        }
        if (enrollToken == null || enrollToken.isBlank()) {
            throw new RegistrationRefusedException("this agent is not enrolled with the hub: start it with"
                    + " --enroll-token TOKEN (the hub's operator finds the token in " + token.file() + ")");
        }
        if (!token.matches(enrollToken)) {
            throw new RegistrationRefusedException("the enrollment token this agent gave is not the hub's: check it and"
                    + " start the agent with --enroll-token TOKEN (the hub's operator finds the token in "
                    + token.file() + ")");
        }
        // The node's name is not known yet; the member lists it appears on name it later (NodeRegistry.seen).
        enrollments.enroll(node, node.shortId(7), clock.getAsLong());
        LOG.infof("enrolled node %s (registering group %s)", node, group);
    }
}
