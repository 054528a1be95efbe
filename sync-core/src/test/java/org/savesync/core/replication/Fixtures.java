package org.savesync.core.replication;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** Small fixed values for the replication tests. */
final class Fixtures {
    static final GroupId GROUP = GroupId.of(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});

    private Fixtures() {
    }

    /** A node id of 32 copies of {@code b}: ids order like their byte. */
    static NodeId id(int b) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) b);
        return NodeId.of(raw);
    }

    static BlobId blob(int b) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) b);
        return BlobId.fromBytes(raw);
    }

    /** {@code vv(a, 1, b, 2)}. */
    static VersionVector vv(Object... pairs) {
        Map<NodeId, Long> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((NodeId) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return VersionVector.of(m);
    }
}
