package org.savesync.core.transfer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;

/**
 * Back-pressure and fair share when serving chunks: per peer link, at most
 * {@link #MAX_IN_FLIGHT_PER_PEER} chunk answers are being read or sent at once (an answer counts
 * until the transport took it, which waits for the peer's flow-control window, so a peer that does
 * not read stops getting more), and at most {@link #MAX_QUEUED_PER_PEER} more requests wait; a
 * request beyond that is dropped and counted ({@link Refusal#SERVE_QUEUE_FULL}), and the asker
 * times out and asks again. Honest peers never come near either bound: a peer asks at most
 * {@code Protocol.MAX_CHUNK_REQUESTS_PER_GROUP} per group. Memory per peer is bounded by
 * {@code MAX_IN_FLIGHT_PER_PEER} chunks plus the small queued requests. Engine thread only
 * (completions hop back to it).
 */
public final class ServeBudget {
    /** Chunk answers read or being sent per peer at once: about 8 MiB at the largest chunk size. */
    public static final int MAX_IN_FLIGHT_PER_PEER = 8;
    /** Chunk requests waiting per peer (a request is about 100 bytes). */
    public static final int MAX_QUEUED_PER_PEER = 512;

    /** Reads and sends the answer to one request; completes once the transport took it (or it failed). */
    public interface Server extends BiFunction<Link, Message.ChunkRequest, CompletableFuture<Void>> {
    }

    private record Job(Message.ChunkRequest req, Server server) {
    }

    private static final class Peer {
        int inFlight;
        final ArrayDeque<Job> queued = new ArrayDeque<>();
    }

    private final Executor engineThread;
    private final EngineStats stats;
    private final Map<Link, Peer> peers = new HashMap<>();

    public ServeBudget(Executor engineThread, EngineStats stats) {
        this.engineThread = engineThread;
        this.stats = stats;
    }

    /** A chunk request from {@code link}: served now, queued, or dropped when the peer's queue is full. */
    public void submit(Link link, Message.ChunkRequest req, Server server) {
        Peer p = peers.computeIfAbsent(link, l -> new Peer());
        if (p.inFlight < MAX_IN_FLIGHT_PER_PEER) {
            start(link, p, req, server);
        } else if (p.queued.size() < MAX_QUEUED_PER_PEER) {
            p.queued.add(new Job(req, server));
        } else {
            stats.refused(Refusal.SERVE_QUEUE_FULL);
        }
    }

    private void start(Link link, Peer p, Message.ChunkRequest req, Server server) {
        p.inFlight++;
        stats.chunkServesInFlightPeak.accumulate(p.inFlight);
        CompletableFuture<Void> done;
        try {
            done = server.apply(link, req);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((v, e) -> engineThread.execute(() -> {
            p.inFlight--;
            if (peers.get(link) != p) {
                return; // the link went away meanwhile
            }
            Job next = p.queued.poll();
            if (next != null) {
                start(link, p, next.req(), next.server());
            } else if (p.inFlight == 0) {
                peers.remove(link);
            }
        }));
    }

    /** The link closed: its queued requests are forgotten. */
    public void linkGone(Link link) {
        peers.remove(link);
    }

    /** Requests queued over all peers (for tests and metrics). */
    public int queued() {
        return peers.values().stream().mapToInt(p -> p.queued.size()).sum();
    }
}
