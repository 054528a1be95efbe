package org.savesync.server.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.server.service.Presence;

/** A {@link Presence} the test sets; enabled only by the test profiles that list it. */
@Alternative
@ApplicationScoped
public class TestPresence implements Presence {
    private final Set<NodeId> online = ConcurrentHashMap.newKeySet();
    private final Set<String> upToDate = ConcurrentHashMap.newKeySet();
    private volatile NodeId self;

    @Override
    public boolean online(NodeId node) {
        return online.contains(node);
    }

    @Override
    public boolean upToDate(GroupId group, NodeId node) {
        return node.equals(self) || upToDate.contains(group + "/" + node);
    }

    @Override
    public boolean self(NodeId node) {
        return node.equals(self);
    }

    @Override
    public List<String> hubAddresses() {
        return self == null ? List.of() : List.of("192.0.2.9:22000");
    }

    /** The hub itself: online and up to date, as the running hub says of itself. */
    public void setSelf(NodeId node) {
        self = node;
        online.add(node);
    }

    public void setOnline(NodeId node) {
        online.add(node);
    }

    public void setUpToDate(GroupId group, NodeId node) {
        upToDate.add(group + "/" + node);
    }

    public void clear() {
        online.clear();
        upToDate.clear();
        self = null;
    }
}
