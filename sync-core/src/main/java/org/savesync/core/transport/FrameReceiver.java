package org.savesync.core.transport;

/**
 * Gets the frames of one connection. Both methods are called on the connection's Netty
 * event-loop thread and must not block: hand heavy work to another executor.
 */
public interface FrameReceiver {
    /** One application frame (never empty: empty frames are keep-alives and are not delivered). */
    void onFrame(PeerConnection from, byte[] frame);

    /**
     * Called exactly once per connection, after its last frame. {@code causeOrNull} is null for
     * a normal close by either side; otherwise it says why (e.g. {@link FrameTooLargeException},
     * {@link ConnectionClosedException}, an idle timeout).
     */
    void onClosed(PeerConnection connection, Throwable causeOrNull);
}
