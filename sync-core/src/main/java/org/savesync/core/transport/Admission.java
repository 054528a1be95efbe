package org.savesync.core.transport;

import org.savesync.core.identity.NodeId;

/**
 * Decides whether an authenticated dialer may use the {@link Alpn#MEMBER} protocol. Asked once
 * for every inbound MEMBER connection, after TLS proved the dialer holds the key of {@code peer}.
 * Called on a Netty event-loop thread: answer from memory, never block. An exception counts as
 * "no" (the transport fails closed).
 */
@FunctionalInterface
public interface Admission {
    boolean isMember(NodeId peer);
}
