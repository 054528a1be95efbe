package org.savesync.core.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.savesync.core.identity.NodeId;

/**
 * Rate limit of the authority sub-protocol, the one thing a non-member may do: at most
 * {@value #PER_NODE} join attempts per node and {@value #TOTAL} in all per minute. Requests that
 * a node is entitled to (a member asking for a ticket, an enrolled agent registering its
 * groups) are not counted; refused ones are ({@link #limited} and {@link #count}), so guessing
 * tokens stays slow.
 */
final class JoinLimiter {
    static final int PER_NODE = 5;
    static final int TOTAL = 60;
    private static final long WINDOW_MS = 60_000;
    private final Map<NodeId, Deque<Long>> perNode = new HashMap<>();
    private final Deque<Long> all = new ArrayDeque<>();

    synchronized boolean tryAcquire(NodeId node, long nowMillis) {
        if (limited(node, nowMillis)) {
            return false;
        }
        count(node, nowMillis);
        return true;
    }

    /** Whether {@code node} (or everyone together) used up this minute's attempts. */
    synchronized boolean limited(NodeId node, long nowMillis) {
        prune(all, nowMillis);
        Deque<Long> mine = perNode.computeIfAbsent(node, n -> new ArrayDeque<>());
        prune(mine, nowMillis);
        return mine.size() >= PER_NODE || all.size() >= TOTAL;
    }

    /** Counts one attempt of {@code node}. */
    synchronized void count(NodeId node, long nowMillis) {
        perNode.computeIfAbsent(node, n -> new ArrayDeque<>()).addLast(nowMillis);
        all.addLast(nowMillis);
    }

    private static void prune(Deque<Long> q, long now) {
        while (!q.isEmpty() && q.peekFirst() <= now - WINDOW_MS) {
            q.pollFirst();
        }
    }
}
