package org.savesync.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.incubator.codec.quic.QuicChannel;
import io.netty.incubator.codec.quic.QuicStreamChannel;
import io.netty.incubator.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The unidirectional data streams one side of a connection opened for bulk frames. A frame goes
 * to the stream with the fewest bytes still waiting to be written; while every stream is busy and
 * fewer than the limit exist, another one is opened. Event-loop confined.
 */
final class DataStreams {
    private static final Logger LOG = Logger.getLogger(DataStreams.class);

    /** Writes one encoded frame on a stream and completes {@code done} once it is handed to QUIC. */
    @FunctionalInterface
    interface FrameWriter {
        void write(QuicStreamChannel stream, ByteBuf frame, CompletableFuture<Void> done, int payloadBytes);
    }

    private final QuicChannel channel;
    private final int max;
    private final Supplier<ChannelHandler> handler;
    private final FrameWriter writer;
    private final Supplier<QuicStreamChannel> fallback;
    private final List<Lane> lanes = new ArrayList<>();

    /**
     * @param fallback the stream to use when a data stream cannot be opened (the control stream),
     *        or null when the connection is closed
     */
    DataStreams(QuicChannel channel, int max, Supplier<ChannelHandler> handler, FrameWriter writer,
                Supplier<QuicStreamChannel> fallback) {
        this.channel = channel;
        this.max = max;
        this.handler = handler;
        this.writer = writer;
        this.fallback = fallback;
    }

    void submit(ByteBuf frame, CompletableFuture<Void> done, int payloadBytes) {
        pick().submit(frame, done, payloadBytes);
    }

    private Lane pick() {
        Lane best = null;
        for (Lane lane : lanes) {
            if (best == null || lane.pendingBytes < best.pendingBytes) {
                best = lane;
            }
        }
        if ((best == null || best.pendingBytes > 0) && lanes.size() < max) {
            best = new Lane();
            lanes.add(best);
        }
        return best;
    }

    /** One data stream and the bytes submitted to it but not yet written. */
    private final class Lane {
        private final Future<QuicStreamChannel> opening;
        private long pendingBytes;

        Lane() {
            opening = channel.createStream(QuicStreamType.UNIDIRECTIONAL, handler.get());
        }

        void submit(ByteBuf frame, CompletableFuture<Void> done, int payloadBytes) {
            pendingBytes += payloadBytes;
            CompletableFuture<Void> tracked = new CompletableFuture<>();
            tracked.whenComplete((v, e) -> {
                pendingBytes -= payloadBytes;
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            });
            if (opening.isDone()) {
                write(frame, tracked, payloadBytes);
            } else {
                opening.addListener(f -> write(frame, tracked, payloadBytes));
            }
        }

        private void write(ByteBuf frame, CompletableFuture<Void> done, int payloadBytes) {
            if (opening.isSuccess()) {
                writer.write(opening.getNow(), frame, done, payloadBytes);
                return;
            }
            lanes.remove(this);
            QuicStreamChannel other = fallback.get();
            if (other == null) {
                frame.release();
                done.completeExceptionally(new java.io.IOException("the connection closed before the frame was sent",
                        opening.cause()));
                return;
            }
            LOG.debugf(opening.cause(), "cannot open a data stream on %s; using the control stream", channel);
            writer.write(other, frame, done, payloadBytes);
        }
    }
}
