package org.savesync.core.protocol;

import java.util.List;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** Every message of the member protocol and of the join sub-protocol, as domain records. */
public sealed interface Message {

    record Hello(int magic, int version, String nodeName, List<String> listenAddresses) implements Message {
    }

    record MemberListUpdate(GroupId group, SignedRecord list) implements Message {
    }

    record Knowledge(GroupId group, java.util.Map<NodeId, Long> marks) implements Message {
    }

    record EntryBatch(GroupId group, NodeId author, long afterSeq, long upToSeq, List<SignedRecord> entries)
            implements Message {
    }

    record BlobRequest(long requestId, GroupId group, BlobId blob, int firstChunk) implements Message {
    }

    record BlobChunks(long requestId, BlobId blob, boolean found, int firstChunk, int totalChunks,
                      List<ChunkRef> chunks) implements Message {
    }

    record ChunkRequest(long requestId, GroupId group, ChunkHash hash) implements Message {
    }

    /** {@code data} is null when not found. */
    record ChunkData(long requestId, ChunkHash hash, byte[] data) implements Message {
        public boolean found() {
            return data != null;
        }
    }

    record ErrorNotice(ErrorKind kind, String message) implements Message {
    }

    record PeerAddresses(GroupId group, List<PeerAddress> peers) implements Message {
    }

    record PeerAddress(NodeId node, List<String> addresses) {
    }

    record JoinRequest(int magic, int version, GroupId group, String inviteToken, String nodeName,
                       List<String> listenAddresses) implements Message {
    }

    record JoinResponse(boolean accepted, ErrorKind errorKind, String error, String groupName,
                        SignedRecord memberList, long secretEpoch, byte[] groupSecret, List<PeerAddress> peers)
            implements Message {
        public static JoinResponse refused(ErrorKind kind, String error) {
            return new JoinResponse(false, kind, error, "", null, 0, null, List.of());
        }
    }

    enum ErrorKind {
        UNSPECIFIED, BAD_HELLO, UNSUPPORTED_VERSION, NOT_A_MEMBER, BAD_MESSAGE, INVITE_REFUSED, RATE_LIMITED
    }
}
