package org.savesync.core.protocol;

import java.util.List;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** Every message of the member protocol and of the join sub-protocol, as domain records. */
public sealed interface Message {

    /** {@code nonce}: {@link Protocol#HELLO_NONCE_LENGTH} random bytes, fresh per connection (see {@link GroupProof}). */
    record Hello(int magic, int version, String nodeName, List<String> listenAddresses, byte[] nonce)
            implements Message {
        /** A Hello with a fresh random nonce. */
        public Hello(int magic, int version, String nodeName, List<String> listenAddresses) {
            this(magic, version, nodeName, listenAddresses, Protocol.newHelloNonce());
        }
    }

    /**
     * Proof that the sender holds the group secret of {@code epoch}, bound to this link: see
     * {@code org.savesync.core.engine.LinkProofs}. {@code mac} is 32 bytes.
     */
    record GroupProof(GroupId group, long epoch, byte[] mac) implements Message {
    }

    /** The group secret of a new epoch, sent by the group's authority to a member; {@code secret} is 32 bytes. */
    record GroupSecretUpdate(GroupId group, long epoch, byte[] secret) implements Message {
        @Override
        public String toString() {
            return "GroupSecretUpdate[group=" + group + ", epoch=" + epoch + ", secret=(hidden)]";
        }
    }

    /** {@code handover} is null until the group was handed to a hub. */
    record MemberListUpdate(GroupId group, SignedRecord list, SignedRecord handover) implements Message {
        public MemberListUpdate(GroupId group, SignedRecord list) {
            this(group, list, null);
        }
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

    record RegisterRequest(int magic, int version, String enrollToken, GroupId group, String groupName,
                           SignedRecord memberList, SignedRecord handover, long secretEpoch, byte[] groupSecret,
                           String nodeName, List<String> listenAddresses, List<PeerAddress> peers) implements Message {
    }

    record RegisterResponse(boolean accepted, ErrorKind errorKind, String error, SignedRecord memberList)
            implements Message {
        public static RegisterResponse refused(ErrorKind kind, String error) {
            return new RegisterResponse(false, kind, error, null);
        }
    }

    /**
     * A member asks the authority for an invite: {@code maxUses} joiners (1: single use), who
     * become {@code role} (the authority refuses any role but MEMBER and READER).
     */
    record TicketRequest(GroupId group, long ttlSeconds, int maxUses, org.savesync.core.membership.Role role)
            implements Message {
        public TicketRequest {
            java.util.Objects.requireNonNull(role, "role");
        }

        public boolean singleUse() {
            return maxUses == 1;
        }
    }

    /** {@code ticket} is the ticket's text when accepted. */
    record TicketResponse(boolean accepted, ErrorKind errorKind, String error, String ticket) implements Message {
        public static TicketResponse refused(ErrorKind kind, String error) {
            return new TicketResponse(false, kind, error, "");
        }
    }

    /** {@code leave} is a savesync/leave/v1 record signed by the member that leaves. */
    record LeaveRequest(SignedRecord leave) implements Message {
    }

    record LeaveResponse(boolean accepted, ErrorKind errorKind, String error) implements Message {
        public static LeaveResponse refused(ErrorKind kind, String error) {
            return new LeaveResponse(false, kind, error);
        }
    }

    enum ErrorKind {
        UNSPECIFIED, BAD_HELLO, UNSUPPORTED_VERSION, NOT_A_MEMBER, BAD_MESSAGE, INVITE_REFUSED, RATE_LIMITED,
        REGISTRATION_REFUSED
    }
}
