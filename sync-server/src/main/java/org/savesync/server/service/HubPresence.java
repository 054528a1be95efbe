package org.savesync.server.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** {@link Presence} from the running engine's connections. */
@ApplicationScoped
public class HubPresence implements Presence {
    private final HubService hub;

    HubPresence(HubService hub) {
        this.hub = hub;
    }

    @Override
    public boolean online(NodeId node) {
        // The hub itself is online while it answers; everyone else when connected to it.
        return hub.connectedNodes().contains(node) || hub.engine() != null && node.equals(hub.engine().nodeId());
    }

    @Override
    public boolean upToDate(GroupId group, NodeId node) {
        // The node's last reported knowledge covers every entry the hub holds for the group.
        return hub.engine().group(group).map(g -> g.upToDate(node)).orElse(false);
    }
}
