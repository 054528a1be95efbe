package org.savesync.core.engine;

import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * Who may hand a group over to this node (register it), making this node the group's
 * authority. Agents refuse every registration; the hub admits nodes that enrolled with it.
 * Called on the engine thread: keep it quick (a database lookup is fine).
 */
public interface RegistrationPolicy {

    /** Refuses every registration: the default for agents. */
    RegistrationPolicy REFUSE_ALL = (node, group, token) -> {
        throw new RegistrationRefusedException("this node is not a hub; it does not take groups over");
    };

    /**
     * Admits {@code node} to register {@code group}, or throws with the reason. A node that is
     * not enrolled yet is enrolled when {@code enrollToken} is valid (empty when none was given).
     *
     * @throws RegistrationRefusedException when the node may not register groups here
     */
    void admit(NodeId node, GroupId group, String enrollToken) throws RegistrationRefusedException;
}
