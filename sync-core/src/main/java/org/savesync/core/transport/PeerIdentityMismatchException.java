package org.savesync.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.savesync.core.identity.NodeId;

/**
 * The node that answered at an address is not the node we dialled. Nothing was sent to it: the
 * TLS handshake was aborted before our certificate or any frame left this node.
 */
public final class PeerIdentityMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId expected;
    private final transient NodeId actual;

    public PeerIdentityMismatchException(NodeId expected, NodeId actual, InetSocketAddress address) {
        super("the node at " + address + " is " + actual + ", not the expected " + expected
                + "; the address is stale (another node uses it now) or someone is impersonating "
                + expected.shortId(7) + ": look up the peer's current address");
        this.expected = expected;
        this.actual = actual;
    }

    public NodeId expected() {
        return expected;
    }

    public NodeId actual() {
        return actual;
    }
}
