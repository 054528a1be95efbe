package org.savesync.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.stats.EngineStats;

/**
 * The outstanding chunk-list and chunk requests of every group on this node, and where their
 * answers go. Each request gets a fresh id ({@link #open}) tied to the group that asked and
 * the link it was asked on; an answer ({@link Message.BlobChunks}, {@link Message.ChunkData})
 * reaches that group only when it names an open id <em>and</em> arrives on that same link.
 * Anything else is dropped and counted as {@link EngineStats.Refusal#UNSOLICITED_ANSWER}, so
 * a peer that sprays ids, or answers what another peer was asked, derails nobody's fetch.
 *
 * <p>The number of open ids is bounded by the requesters (transfers and blob fetches keep a
 * bounded number in flight and {@link #close} each one when it is answered or given up);
 * answers are not counted against a link's inbound budget for that reason.
 */
final class RequestRoutes {
    /** Where an outstanding request was sent: the group that asked and the link it was asked on. */
    private record Route(GroupReplica group, Link link) {
    }

    private final Map<Long, Route> routes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final EngineStats stats;

    RequestRoutes(EngineStats stats) {
        this.stats = stats;
    }

    /** A fresh request id for {@code group}, asked over {@code link}: only that link's answer reaches the group. */
    long open(GroupReplica group, Link link) {
        long id = ids.incrementAndGet();
        routes.put(id, new Route(group, link));
        return id;
    }

    /** The request {@code id} is answered or given up: later answers to it are unsolicited. */
    void close(long id) {
        routes.remove(id);
    }

    /** Hands a chunk-list answer to the group that asked for it on {@code link}; refused otherwise. */
    void deliver(Link link, Message.BlobChunks m) {
        GroupReplica r = awaiting(link, m.requestId());
        if (r != null) {
            r.onChunkList(link, m);
        }
    }

    /** Hands a chunk answer to the group that asked for it on {@code link}; refused otherwise. */
    void deliver(Link link, Message.ChunkData m) {
        GroupReplica r = awaiting(link, m.requestId());
        if (r != null) {
            r.onChunkData(link, m);
        }
    }

    /**
     * The group that awaits the answer {@code requestId} from {@code link}; null (and counted)
     * when no request with that id is outstanding on that link.
     */
    private GroupReplica awaiting(Link link, long requestId) {
        Route route = routes.get(requestId);
        if (route == null || route.link() != link) {
            stats.refused(EngineStats.Refusal.UNSOLICITED_ANSWER);
            return null;
        }
        return route.group();
    }
}
