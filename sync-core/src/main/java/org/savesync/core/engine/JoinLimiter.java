package org.savesync.core.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.savesync.core.identity.NodeId;

/**
 * Rate limit of the join sub-protocol, the one thing a non-member may do: at most
 * {@value #PER_NODE} attempts per node and {@value #TOTAL} in all per minute.
 */
final class JoinLimiter {
    static final int PER_NODE = 5;
    static final int TOTAL = 60;
    private static final long WINDOW_MS = 60_000;
    private final Map<NodeId, Deque<Long>> perNode = new HashMap<>();
    private final Deque<Long> all = new ArrayDeque<>();

    synchronized boolean tryAcquire(NodeId node, long nowMillis) {
        prune(all, nowMillis);
        Deque<Long> mine = perNode.computeIfAbsent(node, n -> new ArrayDeque<>());
        prune(mine, nowMillis);
        if (mine.size() >= PER_NODE || all.size() >= TOTAL) {
            return false;
        }
        mine.addLast(nowMillis);
        all.addLast(nowMillis);
        return true;
    }

    private static void prune(Deque<Long> q, long now) {
        while (!q.isEmpty() && q.peekFirst() <= now - WINDOW_MS) {
            q.pollFirst();
        }
    }
}
