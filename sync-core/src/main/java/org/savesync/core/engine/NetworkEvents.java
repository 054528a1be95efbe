package org.savesync.core.engine;

import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;
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

    /** A join request that arrived on the join sub-protocol. */
    CompletableFuture<Message.JoinResponse> join(NodeId joiner, Message.JoinRequest request);
}
