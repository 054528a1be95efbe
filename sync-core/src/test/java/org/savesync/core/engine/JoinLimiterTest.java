package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;

/** The join limiter's budgets are per (group, node) and per (group, source), and its state is bounded. */
class JoinLimiterTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final GroupId G = GroupId.random();
    private static final GroupId OTHER = GroupId.random();

    private final JoinLimiter limiter = new JoinLimiter();

    @Test
    void aNodeIsLimitedByItsOwnRefusalsOnlyAndPerGroup() throws Exception {
        NodeId rogue = node();
        NodeId honest = node();
        InetAddress same = InetAddress.getByName("192.0.2.7");
        for (int i = 0; i < JoinLimiter.PER_NODE; i++) {
            assertThat(limiter.nodeLimited(G, rogue, NOW + i)).isFalse();
            limiter.refused(G, rogue, same, NOW + i);
        }
        assertThat(limiter.nodeLimited(G, rogue, NOW + 10)).as("rogue after %d refusals", JoinLimiter.PER_NODE).isTrue();
        assertThat(limiter.nodeLimited(G, honest, NOW + 10)).as("another node at the same address").isFalse();
        assertThat(limiter.nodeLimited(OTHER, rogue, NOW + 10)).as("the rogue for another group").isFalse();
        assertThat(limiter.nodeLimited(G, rogue, NOW + JoinLimiter.WINDOW_MS)).as("a minute later").isFalse();
    }

    @Test
    void freshKeysUseUpTheirSourceButNotOtherSourcesOrGroups() throws Exception {
        InetAddress flood = InetAddress.getByName("192.0.2.66");
        for (int i = 0; i < 10 * JoinLimiter.PER_SOURCE; i++) {
            limiter.refused(G, node(), flood, NOW);
        }
        assertThat(limiter.sourceLimited(G, flood, NOW)).isTrue();
        assertThat(limiter.sourceLimited(G, InetAddress.getByName("192.0.2.67"), NOW)).isFalse();
        assertThat(limiter.sourceLimited(OTHER, flood, NOW)).isFalse();
        assertThat(limiter.nodeLimited(G, node(), NOW)).as("a fresh node is never limited").isFalse();
        assertThat(limiter.sourceLimited(G, flood, NOW + JoinLimiter.WINDOW_MS)).isFalse();
    }

    @Test
    void anIpv6SourceIsItsSlash64() throws Exception {
        for (int i = 0; i < JoinLimiter.PER_SOURCE; i++) {
            limiter.refused(G, node(), InetAddress.getByName("2001:db8:1:2::" + Integer.toHexString(i + 1)), NOW);
        }
        assertThat(limiter.sourceLimited(G, InetAddress.getByName("2001:db8:1:2:ffff::1"), NOW)).isTrue();
        assertThat(limiter.sourceLimited(G, InetAddress.getByName("2001:db8:1:3::1"), NOW)).isFalse();
    }

    @Test
    void stateIsCappedAndExpiredCountersGo() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 3 * JoinLimiter.MAX_KEYS; i++) {
            limiter.refused(i % 2 == 0 ? G : null, node(),
                    InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), NOW);
        }
        assertThat(limiter.size()).containsExactly(JoinLimiter.MAX_KEYS, JoinLimiter.MAX_KEYS);
        // A minute later every counter is over: the ones met are dropped, a few more with each call.
        long later = NOW + JoinLimiter.WINDOW_MS;
        for (int i = 0; i < JoinLimiter.MAX_KEYS; i++) {
            limiter.nodeLimited(G, node(), later);
            limiter.sourceLimited(G, a, later);
        }
        assertThat(limiter.size()).containsExactly(0, 0);
    }

    private static NodeId node() {
        return NodeKey.generate().nodeId();
    }
}
