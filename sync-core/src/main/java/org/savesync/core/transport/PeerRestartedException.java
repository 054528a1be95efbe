package org.savesync.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.savesync.core.identity.NodeId;

/**
 * Why a member connection closed: the peer connected again with a new instance id, so it
 * restarted and this connection led to its old instance (which will never answer again). The
 * connection is dropped at once rather than after the QUIC idle timeout.
 */
public final class PeerRestartedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId peer;

    public PeerRestartedException(NodeId peer, InetSocketAddress newAddress) {
        super(peer + " restarted (it connected again from " + newAddress
                + " with a new instance id); dropped the connection to its old instance");
        this.peer = peer;
    }

    public NodeId peer() {
        return peer;
    }
}
