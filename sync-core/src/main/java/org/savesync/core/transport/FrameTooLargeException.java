package org.savesync.core.transport;

import java.io.IOException;

/**
 * A frame longer than its limit ({@link Frames#MAX_FRAME_SIZE}, less on the join ALPN): refused before it is sent, or, when a peer
 * announces one, the reason its connection was closed.
 */
public final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final int max;

    public FrameTooLargeException(long length, int max) {
        super("a frame of " + length + " bytes exceeds the limit of " + max
                + " bytes of this protocol and stream (at most Frames.MAX_FRAME_SIZE); the sender must split its payload into frames of at most "
                + max + " bytes");
        this.length = length;
        this.max = max;
    }

    /** The announced (or attempted) frame length in bytes. */
    public long length() {
        return length;
    }

    /** The limit that applied. */
    public int max() {
        return max;
    }
}
