package org.savesync.core.membership;

import java.util.List;
import java.util.Objects;
import org.savesync.core.identity.NodeId;

/**
 * Where an agent finds its hub: {@code HOST:PORT#NODE_ID}, the line the sync server prints
 * at start. The node id pins the hub's key, so a connection to anything else fails.
 *
 * @param address "host:port" to dial
 * @param node    the hub's node id
 */
public record HubAddress(String address, NodeId node) {
    public HubAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(node, "node");
    }

    /** Parses {@code HOST:PORT#NODE_ID}; the message says what is wrong and what is expected. */
    public static HubAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a hub is written HOST:PORT#NODE_ID, as the sync server prints it; got nothing");
        }
        String t = text.strip();
        int hash = t.lastIndexOf('#');
        if (hash <= 0 || hash == t.length() - 1) {
            throw new IllegalArgumentException("a hub is written HOST:PORT#NODE_ID, as the sync server prints it; got '"
                    + t + "'");
        }
        String addr = t.substring(0, hash);
        int colon = addr.lastIndexOf(':');
        int port;
        try {
            port = colon <= 0 ? -1 : Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the hub address '" + addr + "' needs a port: HOST:PORT#NODE_ID");
        }
        NodeId node;
        try {
            node = NodeId.parse(t.substring(hash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hub's node id in '" + t + "' is not valid: " + e.getMessage());
        }
        return new HubAddress(addr, node);
    }

    public List<String> addresses() {
        return List.of(address);
    }

    @Override
    public String toString() {
        return address + "#" + node;
    }
}
