// PLACEHOLDER: replaced by the persistence branch
package org.savesync.server.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.identity.NodeId;

/** The nodes the hub knows: who enrolled, and when each was last seen. Placeholder: in memory. */
@ApplicationScoped
public class NodeRegistry {
    private final Map<NodeId, Long> enrolled = new ConcurrentHashMap<>();
    private final Map<NodeId, Long> lastSeen = new ConcurrentHashMap<>();

    public boolean isEnrolled(NodeId node) {
        return enrolled.containsKey(node);
    }

    public void enroll(NodeId node, String name, long nowMillis) {
        enrolled.putIfAbsent(node, nowMillis);
    }

    public void seen(NodeId node, String name, List<String> addresses, long nowMillis) {
        lastSeen.merge(node, nowMillis, Math::max);
    }
}
