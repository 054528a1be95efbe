package org.savesync.core.index;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.protocol.SignedRecord;

/**
 * What a node knows about a group it belongs to: its name, the local folder, the
 * authority that signs member lists, the newest verified member list (as signed bytes),
 * the group secret, and where the other members said they can be reached.
 */
public record GroupInfo(GroupId id, String name, Path folder, NodeId authority, SignedRecord memberList,
                        GroupSecret secret, Map<NodeId, List<String>> peerAddresses) {
    public GroupInfo {
        peerAddresses = Map.copyOf(peerAddresses);
    }

    public GroupInfo withMemberList(SignedRecord list) {
        return new GroupInfo(id, name, folder, authority, list, secret, peerAddresses);
    }

    /** The addresses a peer said it listens on (last one wins). */
    public GroupInfo withPeerAddresses(NodeId peer, List<String> addresses) {
        Map<NodeId, List<String>> m = new HashMap<>(peerAddresses);
        m.put(peer, List.copyOf(addresses));
        return new GroupInfo(id, name, folder, authority, memberList, secret, m);
    }
}
