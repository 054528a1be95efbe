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
 * the group secret, where the other members said they can be reached, and the handover
 * record that made the current authority the group's authority (null while the creator
 * still is).
 *
 * @param folder   the synced folder; null on a full replica without a folder (the hub)
 * @param handover the {@code savesync/handover/v1} record, verbatim with its signature, or null
 */
public record GroupInfo(GroupId id, String name, Path folder, NodeId authority, SignedRecord memberList,
                        GroupSecret secret, Map<NodeId, List<String>> peerAddresses, SignedRecord handover) {
    public GroupInfo {
        peerAddresses = Map.copyOf(peerAddresses);
    }

    /** A group whose creator is still its authority (no handover). */
    public GroupInfo(GroupId id, String name, Path folder, NodeId authority, SignedRecord memberList,
                     GroupSecret secret, Map<NodeId, List<String>> peerAddresses) {
        this(id, name, folder, authority, memberList, secret, peerAddresses, null);
    }

    public GroupInfo withMemberList(SignedRecord list) {
        return new GroupInfo(id, name, folder, authority, list, secret, peerAddresses, handover);
    }

    /** The group secret of a newer epoch (rotated by the authority, or received from it). */
    public GroupInfo withSecret(GroupSecret newSecret) {
        return new GroupInfo(id, name, folder, authority, memberList, newSecret, peerAddresses, handover);
    }

    /** A new authority, proven by {@code record}, and its first member list. */
    public GroupInfo handedOver(NodeId newAuthority, SignedRecord record, SignedRecord list) {
        return new GroupInfo(id, name, folder, newAuthority, list, secret, peerAddresses, record);
    }

    /** The addresses a peer said it listens on (last one wins). */
    public GroupInfo withPeerAddresses(NodeId peer, List<String> addresses) {
        Map<NodeId, List<String>> m = new HashMap<>(peerAddresses);
        m.put(peer, List.copyOf(addresses));
        return new GroupInfo(id, name, folder, authority, memberList, secret, m, handover);
    }
}
