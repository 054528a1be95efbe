package org.savesync.core.engine;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/**
 * Rate limit of the authority sub-protocol, the one thing a non-member may do. Only
 * <em>refused</em> requests are counted, and each is counted twice: against the
 * (group, node) that sent it and against the (group, source address) it came from, where the
 * source is the IPv4 address or the IPv6 /64 (one host can have a whole /64).
 *
 * <ul>
 *   <li>A node that was refused {@value #PER_NODE} times in a minute for a group is refused
 *       outright for the rest of the minute, before its request is looked at.</li>
 *   <li>A source that was refused {@value #PER_SOURCE} times in a minute for a group still has
 *       its requests looked at, so a valid ticket still gets in; a refusal then says only
 *       "too many refused attempts" (no reason: no oracle for floods) and is not logged.</li>
 * </ul>
 *
 * <p>Why a flood cannot lock out a real joiner: a joiner with a valid ticket is never refused,
 * its node was never refused before, and the budgets are per group, so neither fresh keys,
 * nor other addresses, nor other groups use it up. What stops guessing is the token (192 random
 * bits, {@link org.savesync.core.membership.InviteToken}), not the limit; what bounds the work of
 * a flood is the transport's cap on join connections per source and in total. The limit keeps
 * refusals, their log lines and their reasons scarce per sender.
 *
 * <p>Bounded: at most {@value #MAX_KEYS} (group, node) and as many (group, source) counters,
 * least recently used dropped first, and a counter whose minute is over is dropped when met.
 * Dropping a counter early only gives its sender a fresh minute, which a fresh key gets anyway.
 * The group of a counter is the group asked for only when this node hosts it; requests for
 * groups it does not host share one counter per sender, so invented group ids make no keys.
 */
final class JoinLimiter {
    /** Refusals per (group, node) a minute before the node is refused outright. */
    static final int PER_NODE = 5;
    /** Refusals per (group, source address) a minute before refusals carry no reason. */
    static final int PER_SOURCE = 20;
    /** Most counters kept per kind (about 100 bytes each). */
    static final int MAX_KEYS = 4096;
    static final long WINDOW_MS = 60_000;
    /** The answer to a node over its budget. */
    static final String NODE_LIMITED = "too many refused attempts from this node; wait a minute and try again";
    /** The answer to a refused request from a source over its budget. */
    static final String SOURCE_LIMITED = "too many refused attempts from this address; wait a minute and try again";
    /** The group of requests for a group this node does not host. */
    private static final String ELSEWHERE = "-";

    private final Counters perNode = new Counters(PER_NODE);
    private final Counters perSource = new Counters(PER_SOURCE);

    /** Whether {@code node} used up its refusals for {@code group} this minute (null group: not hosted here). */
    synchronized boolean nodeLimited(GroupId group, NodeId node, long nowMillis) {
        return perNode.exhausted(new Key(groupKey(group), node), nowMillis);
    }

    /** Whether {@code source} used up its refusals for {@code group} this minute. */
    synchronized boolean sourceLimited(GroupId group, InetAddress source, long nowMillis) {
        return source != null && perSource.exhausted(new Key(groupKey(group), sourceKey(source)), nowMillis);
    }

    /** Counts one refused request of {@code node} from {@code source} (null when unknown) for {@code group}. */
    synchronized void refused(GroupId group, NodeId node, InetAddress source, long nowMillis) {
        perNode.count(new Key(groupKey(group), node), nowMillis);
        if (source != null) {
            perSource.count(new Key(groupKey(group), sourceKey(source)), nowMillis);
        }
    }

    /** Counters held now, per node and per source: for tests of the bound. */
    synchronized int[] size() {
        return new int[] {perNode.size(), perSource.size()};
    }

    private static Object groupKey(GroupId group) {
        return group == null ? ELSEWHERE : group;
    }

    /** IPv4: the address; IPv6: its /64. */
    static String sourceKey(InetAddress source) {
        byte[] b = source.getAddress();
        if (source instanceof Inet6Address) {
            b = Arrays.copyOf(b, 8);
        }
        return Arrays.toString(b);
    }

    private record Key(Object group, Object who) {
    }

    /** A fixed one-minute window per key: started at its first refusal. */
    private static final class Window {
        final long start;
        int refusals;

        Window(long start) {
            this.start = start;
        }

        boolean over(long now) {
            return now - start >= WINDOW_MS || now < start;
        }
    }

    /** LRU map of windows with a hard cap. */
    private static final class Counters {
        private final int limit;
        private final LinkedHashMap<Key, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
                return size() > MAX_KEYS;
            }
        };

        Counters(int limit) {
            this.limit = limit;
        }

        boolean exhausted(Key k, long now) {
            Window w = current(k, now);
            return w != null && w.refusals >= limit;
        }

        void count(Key k, long now) {
            Window w = current(k, now);
            if (w == null) {
                w = new Window(now);
                windows.put(k, w);
            }
            w.refusals++;
        }

        /** The window of {@code k} if its minute is not over; drops over ones met on the way. */
        private Window current(Key k, long now) {
            // The least recently used come first: drop a few that are over, so idle keys go in time.
            Iterator<Window> it = windows.values().iterator();
            for (int i = 0; i < 4 && it.hasNext(); i++) {
                if (!it.next().over(now)) {
                    break;
                }
                it.remove();
            }
            Window w = windows.get(k);
            if (w != null && w.over(now)) {
                windows.remove(k);
                return null;
            }
            return w;
        }

        int size() {
            return windows.size();
        }
    }
}
