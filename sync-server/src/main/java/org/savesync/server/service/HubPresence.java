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
        return hub.connectedNodes().contains(node);
    }

    @Override
    public boolean upToDate(GroupId group, NodeId node) {
        // TODO(lead): compare the node's last reported knowledge of the group with the hub's once
        // the engine exposes it; until then a connected node counts as up to date.
        return online(node);
    }
}
