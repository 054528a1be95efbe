package org.savesync.core.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A receiver that remembers what it got (small frames kept whole, all frames counted). */
final class RecordingReceiver implements FrameReceiver {
    final List<byte[]> frames = new CopyOnWriteArrayList<>();
    final AtomicLong bytes = new AtomicLong();
    final AtomicInteger closedCalls = new AtomicInteger();
    final AtomicReference<Throwable> closeCause = new AtomicReference<>();
    private final boolean keep;

    RecordingReceiver() {
        this(true);
    }

    RecordingReceiver(boolean keepFrames) {
        this.keep = keepFrames;
    }

    @Override
    public void onFrame(PeerConnection from, byte[] frame) {
        bytes.addAndGet(frame.length);
        if (keep) {
            frames.add(frame);
        }
    }

    @Override
    public void onClosed(PeerConnection connection, Throwable causeOrNull) {
        closeCause.set(causeOrNull);
        closedCalls.incrementAndGet();
    }

    List<String> texts() {
        return frames.stream().map(f -> new String(f, java.nio.charset.StandardCharsets.UTF_8)).toList();
    }
}
