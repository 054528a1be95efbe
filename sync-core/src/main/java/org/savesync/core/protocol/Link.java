package org.savesync.core.protocol;

import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;

/** An authenticated connection to one peer on the member protocol, carrying domain messages. */
public interface Link {
    NodeId remote();

    boolean inbound();

    boolean isOpen();

    /** Ordered with the other {@code send}s of this link; lost if the link goes down. */
    void send(Message m);

    /** For chunk data: not ordered with other messages; completes when handed to the network. */
    CompletableFuture<Void> sendBulk(Message m);

    void close(String reason);
}
