package org.savesync.server.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
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
        return hub.connectedNodes().contains(node) || self(node);
    }

    @Override
    public List<String> hubAddresses() {
        var e = hub.engine();
        return e == null ? List.of() : e.listenAddresses();
    }

    @Override
    public boolean self(NodeId node) {
        var e = hub.engine();
        return e != null && node.equals(e.nodeId());
    }

    @Override
    public boolean upToDate(GroupId group, NodeId node) {
        // The node's last reported knowledge covers every entry the hub holds for the group; the hub holds what it holds.
        var e = hub.engine();
        return e != null && (node.equals(e.nodeId()) || e.group(group).map(g -> g.upToDate(node)).orElse(false));
    }
}
