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

    /**
     * One request and its answer on the authority sub-protocol (join ALPN) with {@code authority}
     * at {@code address}: a {@link Message.JoinRequest}, {@link Message.RegisterRequest} or
     * {@link Message.TicketRequest}. Fails when the peer is unreachable, is not {@code authority},
     * or does not answer in time.
     */
    CompletableFuture<Message> ask(String address, NodeId authority, Message request);

    @Override
    void close();
}
