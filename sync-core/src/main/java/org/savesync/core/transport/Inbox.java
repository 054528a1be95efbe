package org.savesync.core.transport;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Hands a connection's frames to its receiver, keeping them while there is none yet (up to
 * {@link #MAX_UNDELIVERED_BYTES}; past that, reading pauses so QUIC flow control holds the peer
 * back), and reports the close exactly once, after the last frame. Event-loop confined.
 */
final class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    /** Bytes of frames kept while no receiver is set before reading pauses. */
    static final int MAX_UNDELIVERED_BYTES = 16 * 1024 * 1024;

    private final PeerConnection owner;
    private final Consumer<Throwable> receiverFailed;
    private final ArrayDeque<byte[]> undelivered = new ArrayDeque<>();
    private final List<Channel> paused = new ArrayList<>();
    private long undeliveredBytes;
    private FrameReceiver receiver;
    private boolean closed;
    private Throwable closeCause;
    private boolean closeDelivered;

    /** @param receiverFailed called when the receiver throws (the connection then closes) */
    Inbox(PeerConnection owner, Consumer<Throwable> receiverFailed) {
        this.owner = owner;
        this.receiverFailed = receiverFailed;
    }

    void frame(Channel stream, byte[] payload) {
        if (receiver != null && undelivered.isEmpty()) {
            deliver(payload);
            return;
        }
        undelivered.add(payload);
        undeliveredBytes += payload.length;
        if (undeliveredBytes > MAX_UNDELIVERED_BYTES && stream.config().isAutoRead()) {
            stream.config().setAutoRead(false);
            paused.add(stream);
        }
    }

    void receiver(FrameReceiver r) {
        receiver = r;
        while (!undelivered.isEmpty() && !closeDelivered) {
            byte[] next = undelivered.poll();
            undeliveredBytes -= next.length;
            deliver(next);
        }
        for (Channel c : paused) {
            c.config().setAutoRead(true);
        }
        paused.clear();
        deliverClosed();
    }

    /** The connection closed: tell the receiver once every kept frame was delivered. */
    void closed(Throwable cause) {
        closed = true;
        closeCause = cause;
        deliverClosed();
    }

    private void deliver(byte[] payload) {
        try {
            receiver.onFrame(owner, payload);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "the receiver of %s threw; closing the connection", owner);
            receiverFailed.accept(e);
        }
    }

    private void deliverClosed() {
        if (!closed || closeDelivered || receiver == null || !undelivered.isEmpty()) {
            return;
        }
        closeDelivered = true;
        try {
            receiver.onClosed(owner, closeCause);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "the receiver of %s threw in onClosed", owner);
        }
    }
}
