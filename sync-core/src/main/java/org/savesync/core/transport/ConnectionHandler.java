package org.savesync.core.transport;

/**
 * Receives every inbound connection (both ALPNs) once it is admitted and its transport
 * handshake is done. Called on a Netty event-loop thread: set a receiver and return quickly.
 */
@FunctionalInterface
public interface ConnectionHandler {
    void onConnection(PeerConnection connection);
}
