package org.savesync.core.engine;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeId;

/**
 * The members this node keeps dialling: one {@link Network#keepConnected} handle per node id,
 * for every other member of any of its groups whose addresses are known. When the groups'
 * members or addresses change, a dialer whose addresses differ from the wanted ones is closed
 * (and opened again with the new ones), one for a node no group wants any more is closed, and
 * one is opened for each newly wanted node. The network redials with backoff behind a handle
 * until it is closed.
 *
 * <p>Engine thread only.
 */
final class MemberDialers {
    private record Dialing(List<String> addresses, AutoCloseable handle) {
    }

    private final Network network;
    private final NodeId self;
    private final Map<NodeId, Dialing> dialing = new HashMap<>();

    MemberDialers(Network network, NodeId self) {
        this.network = network;
        this.self = self;
    }

    /** Dials every member of {@code groups} whose address is known and that is not dialled yet; stops the rest. */
    void follow(Collection<GroupReplica> groups) {
        Map<NodeId, List<String>> wanted = new HashMap<>();
        for (GroupReplica r : groups) {
            r.info().peerAddresses().forEach((node, addrs) -> {
                if (!node.equals(self) && r.isMember(node) && !addrs.isEmpty()) {
                    wanted.put(node, addrs);
                }
            });
        }
        for (var it = dialing.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().addresses().equals(wanted.get(e.getKey()))) {
                closeQuietly(e.getValue().handle());
                it.remove();
            }
        }
        wanted.forEach((node, addrs) -> dialing.computeIfAbsent(node,
                n -> new Dialing(addrs, network.keepConnected(n, addrs))));
    }

    /** Stops every dialer (the engine is closing). */
    void closeAll() {
        dialing.values().forEach(d -> closeQuietly(d.handle()));
        dialing.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a dialer: nothing to report
        }
    }
}
