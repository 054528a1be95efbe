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
 * back, or for frames of the bulk lane the lane's reading is held so TCP flow control does), and
 * reports the close exactly once, after the last frame. Event-loop confined.
 */
final class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);
    /** Bytes of frames kept while no receiver is set before reading pauses. */
    static final int MAX_UNDELIVERED_BYTES = 16 * 1024 * 1024;

    private final PeerConnection owner;
    private final Consumer<Throwable> receiverFailed;
    private final ArrayDeque<byte[]> undelivered = new ArrayDeque<>();
    /** How to resume each source paused because frames waited for a receiver. */
    private final List<Runnable> paused = new ArrayList<>();
    private final java.util.Set<BulkLane> heldLanes = new java.util.HashSet<>();
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
        if (keepPastBound(payload) && stream.config().isAutoRead()) {
            stream.config().setAutoRead(false);
            paused.add(() -> stream.config().setAutoRead(true));
        }
    }

    /** A frame from the connection's bulk lane: same bound, the lane's reading is held instead of a stream's. */
    void frame(BulkLane lane, byte[] payload) {
        if (keepPastBound(payload) && heldLanes.add(lane)) {
            lane.holdReading();
            paused.add(lane::releaseReading);
        }
    }

    /** Delivers the frame or keeps it; true when what is kept is past the bound (reading should pause). */
    private boolean keepPastBound(byte[] payload) {
        if (receiver != null && undelivered.isEmpty()) {
            deliver(payload);
            return false;
        }
        undelivered.add(payload);
        undeliveredBytes += payload.length;
        return undeliveredBytes > MAX_UNDELIVERED_BYTES;
    }

    void receiver(FrameReceiver r) {
        receiver = r;
        while (!undelivered.isEmpty() && !closeDelivered) {
            byte[] next = undelivered.poll();
            undeliveredBytes -= next.length;
            deliver(next);
        }
        for (Runnable resume : paused) {
            resume.run();
        }
        paused.clear();
        heldLanes.clear();
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
