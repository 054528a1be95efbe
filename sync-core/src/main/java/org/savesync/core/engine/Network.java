package org.savesync.core.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Message;

/** What the engine needs from a transport. {@link QuicNetwork} is the real one. */
public interface Network extends AutoCloseable {

    void start(NetworkEvents events);

    /** Concrete "host:port" addresses peers can dial (never a wildcard address). */
    List<String> listenAddresses();

    /**
     * Keeps a member connection to {@code peer} up, redialing with backoff after failures,
     * until the returned handle is closed. Each new link is reported through
     * {@link NetworkEvents#linkUp}.
     */
    AutoCloseable keepConnected(NodeId peer, List<String> addresses);

    /** One request/response on the join sub-protocol with the group's authority. */
    CompletableFuture<Message.JoinResponse> join(String address, NodeId authority, Message.JoinRequest request);

    @Override
    void close();
}
