package org.savesync.agent.service;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.identity.NodeId;

/**
 * When this agent last saw each hub of its groups connected, sampled by the progress timer
 * and at every status request; a hub never seen connected counts as offline since the agent
 * started. Holds one instant per hub of this node's groups (the map is pruned to them).
 */
final class PeerPresence {
    private final Instant started;
    private final Map<NodeId, Instant> lastConnected = new ConcurrentHashMap<>();

    PeerPresence(Instant started) {
        this.started = started;
    }

    /** Records whether {@code node} is connected at {@code now}. */
    void observe(NodeId node, boolean connected, Instant now) {
        if (connected) {
            lastConnected.put(node, now);
        }
    }

    /** Forgets every node not in {@code keep} (the hubs of this node's groups). */
    void retain(Collection<NodeId> keep) {
        lastConnected.keySet().retainAll(Set.copyOf(keep));
    }

    /** Since when {@code node} has been offline: its last sighting, or the agent's start. */
    Instant offlineSince(NodeId node) {
        return lastConnected.getOrDefault(node, started);
    }
}
