package org.savesync.server.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
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

    @Override
    public boolean online(NodeId node) {
        return online.contains(node);
    }

    @Override
    public boolean upToDate(GroupId group, NodeId node) {
        return upToDate.contains(group + "/" + node);
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
    }
}
