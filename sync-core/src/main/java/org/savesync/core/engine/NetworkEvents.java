package org.savesync.core.engine;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;

/**
 * What a {@link Network} tells the engine. Calls may come from network threads; the
 * engine hands them to its own thread and never blocks them.
 */
public interface NetworkEvents {
    /** Admission of an inbound member connection (the peer's node id is already proven). */
    boolean isMember(NodeId peer);

    void linkUp(Link link);

    void message(Link link, Message m);

    void linkDown(Link link, Throwable causeOrNull);

    /**
     * A request that arrived on the authority sub-protocol from {@code from} (its node id is
     * proven) at {@code source} (the address it came from; null when the network has none); the
     * answer is sent back as it completes.
     */
    CompletableFuture<Message> authorityRequest(NodeId from, InetAddress source, Message request);
}
