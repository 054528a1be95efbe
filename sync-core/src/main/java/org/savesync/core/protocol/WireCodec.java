package org.savesync.core.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.chunking.ChunkingParams;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Message.BlobChunks;
import org.savesync.core.protocol.Message.BlobRequest;
import org.savesync.core.protocol.Message.ChunkData;
import org.savesync.core.protocol.Message.ChunkRequest;
import org.savesync.core.protocol.Message.EntryBatch;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.ErrorNotice;
import org.savesync.core.protocol.Message.Hello;
import org.savesync.core.protocol.Message.JoinRequest;
import org.savesync.core.protocol.Message.JoinResponse;
import org.savesync.core.protocol.Message.RegisterRequest;
import org.savesync.core.protocol.Message.RegisterResponse;
import org.savesync.core.protocol.Message.TicketRequest;
import org.savesync.core.protocol.Message.TicketResponse;
import org.savesync.core.protocol.Message.Knowledge;
import org.savesync.core.protocol.Message.MemberListUpdate;
import org.savesync.core.protocol.Message.PeerAddress;
import org.savesync.core.protocol.Message.PeerAddresses;
import org.savesync.core.protocol.wire.Envelope;
import org.savesync.core.protocol.wire.ErrorCode;
import org.savesync.core.protocol.wire.JoinEnvelope;

/**
 * The one place that maps domain messages to and from the generated protobuf classes.
 * Decoding checks every field that protobuf cannot: id lengths, list sizes, chunk sizes,
 * string lengths. A frame that fails any check is a {@link ProtocolException}.
 */
public final class WireCodec {
    private WireCodec() {
    }

    // ---------------------------------------------------------------- member protocol

    public static byte[] encode(Message m) {
        Envelope.Builder e = Envelope.newBuilder();
        switch (m) {
            case Hello h -> e.setHello(org.savesync.core.protocol.wire.Hello.newBuilder()
                    .setMagic(h.magic()).setProtocolVersion(h.version()).setNodeName(h.nodeName())
                    .addAllListenAddresses(h.listenAddresses()).setNonce(bs(h.nonce())));
            case Message.GroupProof p -> e.setGroupProof(org.savesync.core.protocol.wire.GroupProof.newBuilder()
                    .setGroupId(bs(p.group().bytes())).setEpoch(p.epoch()).setMac(bs(p.mac())));
            case Message.GroupSecretUpdate u -> e.setSecretUpdate(
                    org.savesync.core.protocol.wire.GroupSecretUpdate.newBuilder().setGroupId(bs(u.group().bytes()))
                            .setEpoch(u.epoch()).setSecret(bs(u.secret())));
            case MemberListUpdate u -> {
                var w = org.savesync.core.protocol.wire.MemberListUpdate.newBuilder()
                        .setGroupId(bs(u.group().bytes())).setList(record(u.list()));
                if (u.handover() != null) {
                    w.setHandover(record(u.handover()));
                }
                e.setMemberList(w);
            }
            case Knowledge k -> {
                var b = org.savesync.core.protocol.wire.Knowledge.newBuilder().setGroupId(bs(k.group().bytes()));
                k.marks().forEach((author, seq) -> b.addMarks(org.savesync.core.protocol.wire.SeqMark.newBuilder()
                        .setAuthor(bs(author.bytes())).setSeq(seq)));
                e.setKnowledge(b);
            }
            case EntryBatch b -> {
                var w = org.savesync.core.protocol.wire.EntryBatch.newBuilder().setGroupId(bs(b.group().bytes()))
                        .setAuthor(bs(b.author().bytes())).setAfterSeq(b.afterSeq()).setUpToSeq(b.upToSeq());
                b.entries().forEach(r -> w.addEntries(record(r)));
                e.setEntries(w);
            }
            case BlobRequest r -> e.setBlobRequest(org.savesync.core.protocol.wire.BlobRequest.newBuilder()
                    .setRequestId(r.requestId()).setGroupId(bs(r.group().bytes())).setBlobId(bs(r.blob().bytes()))
                    .setFirstChunk(r.firstChunk()));
            case BlobChunks c -> {
                var w = org.savesync.core.protocol.wire.BlobChunks.newBuilder().setRequestId(c.requestId())
                        .setBlobId(bs(c.blob().bytes())).setFound(c.found()).setFirstChunk(c.firstChunk())
                        .setTotalChunks(c.totalChunks());
                for (ChunkRef ref : c.chunks()) {
                    w.addChunks(org.savesync.core.protocol.wire.ChunkInfo.newBuilder().setLength(ref.length())
                            .setHash(bs(ref.hash().bytes())));
                }
                e.setBlobChunks(w);
            }
            case ChunkRequest r -> e.setChunkRequest(org.savesync.core.protocol.wire.ChunkRequest.newBuilder()
                    .setRequestId(r.requestId()).setGroupId(bs(r.group().bytes())).setHash(bs(r.hash().bytes())));
            case ChunkData d -> {
                var w = org.savesync.core.protocol.wire.ChunkData.newBuilder().setRequestId(d.requestId())
                        .setHash(bs(d.hash().bytes())).setFound(d.found());
                if (d.found()) {
                    w.setData(ByteString.copyFrom(d.data()));
                }
                e.setChunkData(w);
            }
            case ErrorNotice n -> e.setError(org.savesync.core.protocol.wire.ErrorNotice.newBuilder()
                    .setCode(code(n.kind())).setMessage(n.message()));
            case PeerAddresses p -> {
                var w = org.savesync.core.protocol.wire.PeerAddresses.newBuilder().setGroupId(bs(p.group().bytes()));
                p.peers().forEach(a -> w.addPeers(peer(a)));
                e.setPeers(w);
            }
            case JoinRequest j -> throw new IllegalArgumentException("JoinRequest travels on the join ALPN: use encodeJoin");
            case JoinResponse j -> throw new IllegalArgumentException("JoinResponse travels on the join ALPN: use encodeJoin");
            case RegisterRequest j -> throw new IllegalArgumentException("RegisterRequest travels on the join ALPN");
            case RegisterResponse j -> throw new IllegalArgumentException("RegisterResponse travels on the join ALPN");
            case TicketRequest j -> throw new IllegalArgumentException("TicketRequest travels on the join ALPN");
            case TicketResponse j -> throw new IllegalArgumentException("TicketResponse travels on the join ALPN");
            case Message.LeaveRequest j -> throw new IllegalArgumentException("LeaveRequest travels on the join ALPN");
            case Message.LeaveResponse j -> throw new IllegalArgumentException("LeaveResponse travels on the join ALPN");
        }
        return e.build().toByteArray();
    }

    public static Message decode(byte[] frame) throws ProtocolException {
        Envelope e;
        try {
            e = Envelope.parseFrom(frame);
        } catch (InvalidProtocolBufferException ex) {
            throw new ProtocolException("undecodable frame of " + frame.length + " bytes: " + ex.getMessage(), ex);
        }
        try {
            return switch (e.getBodyCase()) {
                case HELLO -> {
                    var h = e.getHello();
                    if (h.getNonce().size() != Protocol.HELLO_NONCE_LENGTH) {
                        throw new ProtocolException("hello nonce of " + h.getNonce().size() + " bytes, expected "
                                + Protocol.HELLO_NONCE_LENGTH);
                    }
                    yield new Hello(h.getMagic(), h.getProtocolVersion(), name(h.getNodeName()),
                            addresses(h.getListenAddressesList()), h.getNonce().toByteArray());
                }
                case GROUP_PROOF -> {
                    var p = e.getGroupProof();
                    if (p.getMac().size() != Protocol.GROUP_PROOF_MAC_LENGTH) {
                        throw new ProtocolException("group proof mac of " + p.getMac().size() + " bytes, expected "
                                + Protocol.GROUP_PROOF_MAC_LENGTH);
                    }
                    yield new Message.GroupProof(group(p.getGroupId()), nonNegative(p.getEpoch(), "epoch"),
                            p.getMac().toByteArray());
                }
                case SECRET_UPDATE -> {
                    var u = e.getSecretUpdate();
                    if (u.getSecret().size() != org.savesync.core.membership.GroupSecret.LENGTH) {
                        throw new ProtocolException("group secret of " + u.getSecret().size() + " bytes, expected "
                                + org.savesync.core.membership.GroupSecret.LENGTH);
                    }
                    yield new Message.GroupSecretUpdate(group(u.getGroupId()), nonNegative(u.getEpoch(), "epoch"),
                            u.getSecret().toByteArray());
                }
                case MEMBER_LIST -> new MemberListUpdate(group(e.getMemberList().getGroupId()),
                        record(e.getMemberList().getList()),
                        e.getMemberList().hasHandover() ? record(e.getMemberList().getHandover()) : null);
                case KNOWLEDGE -> {
                    var k = e.getKnowledge();
                    if (k.getMarksCount() > Protocol.MAX_MEMBERS) {
                        throw new ProtocolException("knowledge with " + k.getMarksCount() + " authors, limit "
                                + Protocol.MAX_MEMBERS);
                    }
                    Map<NodeId, Long> marks = new LinkedHashMap<>();
                    for (var m : k.getMarksList()) {
                        marks.put(node(m.getAuthor()), nonNegative(m.getSeq(), "seq"));
                    }
                    yield new Knowledge(group(k.getGroupId()), Map.copyOf(marks));
                }
                case ENTRIES -> {
                    var b = e.getEntries();
                    if (b.getEntriesCount() > Protocol.MAX_ENTRIES_PER_BATCH) {
                        throw new ProtocolException("entry batch of " + b.getEntriesCount() + " entries, limit "
                                + Protocol.MAX_ENTRIES_PER_BATCH);
                    }
                    long after = nonNegative(b.getAfterSeq(), "after_seq");
                    long upTo = nonNegative(b.getUpToSeq(), "up_to_seq");
                    if (upTo < after) {
                        throw new ProtocolException("entry batch up_to_seq " + upTo + " below after_seq " + after);
                    }
                    List<SignedRecord> entries = new ArrayList<>(b.getEntriesCount());
                    for (var r : b.getEntriesList()) {
                        entries.add(record(r));
                    }
                    yield new EntryBatch(group(b.getGroupId()), node(b.getAuthor()), after, upTo, List.copyOf(entries));
                }
                case BLOB_REQUEST -> {
                    var r = e.getBlobRequest();
                    yield new BlobRequest(r.getRequestId(), group(r.getGroupId()), blob(r.getBlobId()),
                            nonNegativeInt(r.getFirstChunk(), "first_chunk"));
                }
                case BLOB_CHUNKS -> {
                    var c = e.getBlobChunks();
                    if (c.getChunksCount() > Protocol.MAX_CHUNKS_PER_PAGE) {
                        throw new ProtocolException("chunk list page of " + c.getChunksCount() + ", limit "
                                + Protocol.MAX_CHUNKS_PER_PAGE);
                    }
                    List<ChunkRef> refs = new ArrayList<>(c.getChunksCount());
                    for (var i : c.getChunksList()) {
                        if (i.getLength() <= 0 || i.getLength() > ChunkingParams.MAX_SIZE) {
                            throw new ProtocolException("chunk length " + Integer.toUnsignedString(i.getLength())
                                    + " outside 1.." + ChunkingParams.MAX_SIZE);
                        }
                        refs.add(new ChunkRef(i.getLength(), hash(i.getHash())));
                    }
                    yield new BlobChunks(c.getRequestId(), blob(c.getBlobId()), c.getFound(),
                            nonNegativeInt(c.getFirstChunk(), "first_chunk"),
                            nonNegativeInt(c.getTotalChunks(), "total_chunks"), List.copyOf(refs));
                }
                case CHUNK_REQUEST -> {
                    var r = e.getChunkRequest();
                    yield new ChunkRequest(r.getRequestId(), group(r.getGroupId()), hash(r.getHash()));
                }
                case CHUNK_DATA -> {
                    var d = e.getChunkData();
                    if (d.getFound() && (d.getData().isEmpty() || d.getData().size() > ChunkingParams.MAX_SIZE)) {
                        throw new ProtocolException("chunk data of " + d.getData().size() + " bytes, must be 1.."
                                + ChunkingParams.MAX_SIZE);
                    }
                    yield new ChunkData(d.getRequestId(), hash(d.getHash()), d.getFound() ? d.getData().toByteArray() : null);
                }
                case ERROR -> new ErrorNotice(kind(e.getError().getCode()), limit(e.getError().getMessage(), 4096));
                case PEERS -> {
                    var p = e.getPeers();
                    if (p.getPeersCount() > Protocol.MAX_MEMBERS) {
                        throw new ProtocolException("peer list of " + p.getPeersCount() + ", limit " + Protocol.MAX_MEMBERS);
                    }
                    List<PeerAddress> peers = new ArrayList<>();
                    for (var a : p.getPeersList()) {
                        peers.add(peer(a));
                    }
                    yield new PeerAddresses(group(p.getGroupId()), List.copyOf(peers));
                }
                case BODY_NOT_SET -> throw new ProtocolException("empty envelope (unknown message type from a newer peer?)");
            };
        } catch (IllegalArgumentException ex) {
            throw new ProtocolException("invalid field: " + ex.getMessage(), ex);
        }
    }

    // ---------------------------------------------------------------- join sub-protocol

    public static byte[] encodeJoin(Message m) {
        JoinEnvelope.Builder e = JoinEnvelope.newBuilder();
        switch (m) {
            case JoinRequest j -> e.setRequest(org.savesync.core.protocol.wire.JoinRequest.newBuilder()
                    .setMagic(j.magic()).setProtocolVersion(j.version()).setGroupId(bs(j.group().bytes()))
                    .setInviteToken(j.inviteToken()).setNodeName(j.nodeName())
                    .addAllListenAddresses(j.listenAddresses()));
            case JoinResponse r -> {
                var w = org.savesync.core.protocol.wire.JoinResponse.newBuilder().setAccepted(r.accepted())
                        .setErrorCode(code(r.errorKind())).setError(r.error() == null ? "" : r.error())
                        .setGroupName(r.groupName() == null ? "" : r.groupName()).setSecretEpoch(r.secretEpoch());
                if (r.memberList() != null) {
                    w.setMemberList(record(r.memberList()));
                }
                if (r.groupSecret() != null) {
                    w.setGroupSecret(bs(r.groupSecret()));
                }
                r.peers().forEach(p -> w.addPeers(peer(p)));
                e.setResponse(w);
            }
            case RegisterRequest r -> {
                var w = org.savesync.core.protocol.wire.RegisterRequest.newBuilder().setMagic(r.magic())
                        .setProtocolVersion(r.version()).setEnrollToken(r.enrollToken())
                        .setGroupId(bs(r.group().bytes())).setGroupName(r.groupName())
                        .setMemberList(record(r.memberList())).setHandover(record(r.handover()))
                        .setSecretEpoch(r.secretEpoch()).setGroupSecret(bs(r.groupSecret()))
                        .setNodeName(r.nodeName()).addAllListenAddresses(r.listenAddresses());
                r.peers().forEach(p -> w.addPeers(peer(p)));
                e.setRegister(w);
            }
            case RegisterResponse r -> {
                var w = org.savesync.core.protocol.wire.RegisterResponse.newBuilder().setAccepted(r.accepted())
                        .setErrorCode(code(r.errorKind())).setError(r.error() == null ? "" : r.error());
                if (r.memberList() != null) {
                    w.setMemberList(record(r.memberList()));
                }
                e.setRegistered(w);
            }
            case TicketRequest r -> e.setTicketRequest(org.savesync.core.protocol.wire.TicketRequest.newBuilder()
                    .setGroupId(bs(r.group().bytes())).setTtlSeconds(r.ttlSeconds()).setSingleUse(r.singleUse())
                    .setMaxUses(Math.max(0, r.maxUses())).setRole(r.role().code()));
            case TicketResponse r -> e.setTicket(org.savesync.core.protocol.wire.TicketResponse.newBuilder()
                    .setAccepted(r.accepted()).setErrorCode(code(r.errorKind()))
                    .setError(r.error() == null ? "" : r.error()).setTicket(r.ticket() == null ? "" : r.ticket()));
            case Message.LeaveRequest r -> e.setLeave(org.savesync.core.protocol.wire.LeaveRequest.newBuilder()
                    .setLeave(record(r.leave())));
            case Message.LeaveResponse r -> e.setLeft(org.savesync.core.protocol.wire.LeaveResponse.newBuilder()
                    .setAccepted(r.accepted()).setErrorCode(code(r.errorKind()))
                    .setError(r.error() == null ? "" : r.error()));
            default -> throw new IllegalArgumentException(m.getClass().getSimpleName() + " is not a join message");
        }
        return e.build().toByteArray();
    }

    public static Message decodeJoin(byte[] frame) throws ProtocolException {
        JoinEnvelope e;
        try {
            e = JoinEnvelope.parseFrom(frame);
        } catch (InvalidProtocolBufferException ex) {
            throw new ProtocolException("undecodable join frame: " + ex.getMessage(), ex);
        }
        try {
            return switch (e.getBodyCase()) {
                case REQUEST -> {
                    var j = e.getRequest();
                    yield new JoinRequest(j.getMagic(), j.getProtocolVersion(), group(j.getGroupId()),
                            limit(j.getInviteToken(), 256), name(j.getNodeName()), addresses(j.getListenAddressesList()));
                }
                case RESPONSE -> {
                    var r = e.getResponse();
                    List<PeerAddress> peers = new ArrayList<>();
                    for (var a : r.getPeersList()) {
                        peers.add(peer(a));
                    }
                    byte[] secret = r.getGroupSecret().isEmpty() ? null : r.getGroupSecret().toByteArray();
                    if (secret != null && secret.length != 32) {
                        throw new ProtocolException("group secret of " + secret.length + " bytes, expected 32");
                    }
                    yield new JoinResponse(r.getAccepted(), kind(r.getErrorCode()), limit(r.getError(), 4096),
                            name(r.getGroupName()), r.hasMemberList() ? record(r.getMemberList()) : null,
                            r.getSecretEpoch(), secret, List.copyOf(peers));
                }
                case REGISTER -> {
                    var r = e.getRegister();
                    if (!r.hasMemberList() || !r.hasHandover()) {
                        throw new ProtocolException("a RegisterRequest needs a member list and a handover record");
                    }
                    if (r.getGroupSecret().size() != 32) {
                        throw new ProtocolException("group secret of " + r.getGroupSecret().size() + " bytes, expected 32");
                    }
                    if (r.getPeersCount() > Protocol.MAX_MEMBERS) {
                        throw new ProtocolException("peer list of " + r.getPeersCount() + ", limit " + Protocol.MAX_MEMBERS);
                    }
                    List<PeerAddress> peers = new ArrayList<>();
                    for (var a : r.getPeersList()) {
                        peers.add(peer(a));
                    }
                    yield new RegisterRequest(r.getMagic(), r.getProtocolVersion(), limit(r.getEnrollToken(), 256),
                            group(r.getGroupId()), name(r.getGroupName()), record(r.getMemberList()),
                            record(r.getHandover()), r.getSecretEpoch(), r.getGroupSecret().toByteArray(),
                            name(r.getNodeName()), addresses(r.getListenAddressesList()), List.copyOf(peers));
                }
                case REGISTERED -> {
                    var r = e.getRegistered();
                    yield new RegisterResponse(r.getAccepted(), kind(r.getErrorCode()), limit(r.getError(), 4096),
                            r.hasMemberList() ? record(r.getMemberList()) : null);
                }
                case TICKET_REQUEST -> {
                    var r = e.getTicketRequest();
                    // Senders before max_uses and role: single_use or the default limit, a read-write member.
                    int maxUses = r.getSingleUse() ? 1 : r.getMaxUses() == 0
                            ? org.savesync.core.membership.InviteSpec.DEFAULT_REUSABLE_USES
                            : (int) Math.min(Integer.toUnsignedLong(r.getMaxUses()), Integer.MAX_VALUE);
                    var role = r.getRole() == 0 ? org.savesync.core.membership.Role.MEMBER
                            : org.savesync.core.membership.Role.fromCode(r.getRole());
                    yield new TicketRequest(group(r.getGroupId()), nonNegative(r.getTtlSeconds(), "ttl_seconds"),
                            maxUses, role);
                }
                case TICKET -> {
                    var r = e.getTicket();
                    yield new TicketResponse(r.getAccepted(), kind(r.getErrorCode()), limit(r.getError(), 4096),
                            limit(r.getTicket(), 4096));
                }
                case LEAVE -> {
                    var r = e.getLeave();
                    if (!r.hasLeave()) {
                        throw new ProtocolException("a LeaveRequest needs its signed leave record");
                    }
                    yield new Message.LeaveRequest(record(r.getLeave()));
                }
                case LEFT -> {
                    var r = e.getLeft();
                    yield new Message.LeaveResponse(r.getAccepted(), kind(r.getErrorCode()), limit(r.getError(), 4096));
                }
                case BODY_NOT_SET -> throw new ProtocolException("empty join envelope (unknown request from a newer peer?)");
            };
        } catch (IllegalArgumentException ex) {
            throw new ProtocolException("invalid field: " + ex.getMessage(), ex);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ByteString bs(byte[] b) {
        return ByteString.copyFrom(b);
    }

    private static org.savesync.core.protocol.wire.SignedRecord record(SignedRecord r) {
        return org.savesync.core.protocol.wire.SignedRecord.newBuilder().setSignedBytes(bs(r.signedBytes()))
                .setSignature(bs(r.signature())).build();
    }

    private static SignedRecord record(org.savesync.core.protocol.wire.SignedRecord r) throws ProtocolException {
        if (r.getSignature().size() != 64) {
            throw new ProtocolException("signature of " + r.getSignature().size() + " bytes, expected 64");
        }
        if (r.getSignedBytes().isEmpty() || r.getSignedBytes().size() > 64 * 1024) {
            throw new ProtocolException("signed record of " + r.getSignedBytes().size() + " bytes, must be 1..65536");
        }
        return new SignedRecord(r.getSignedBytes().toByteArray(), r.getSignature().toByteArray());
    }

    private static org.savesync.core.protocol.wire.PeerAddress peer(PeerAddress a) {
        return org.savesync.core.protocol.wire.PeerAddress.newBuilder().setNodeId(bs(a.node().bytes()))
                .addAllAddresses(a.addresses()).build();
    }

    private static PeerAddress peer(org.savesync.core.protocol.wire.PeerAddress a) throws ProtocolException {
        return new PeerAddress(node(a.getNodeId()), addresses(a.getAddressesList()));
    }

    private static List<String> addresses(List<String> in) throws ProtocolException {
        if (in.size() > Protocol.MAX_ADDRESSES_PER_PEER) {
            throw new ProtocolException(in.size() + " addresses, limit " + Protocol.MAX_ADDRESSES_PER_PEER);
        }
        for (String s : in) {
            limit(s, 300);
        }
        return List.copyOf(in);
    }

    private static NodeId node(ByteString b) throws ProtocolException {
        if (b.size() != NodeId.LENGTH) {
            throw new ProtocolException("node id of " + b.size() + " bytes, expected " + NodeId.LENGTH);
        }
        return NodeId.of(b.toByteArray());
    }

    private static GroupId group(ByteString b) throws ProtocolException {
        if (b.size() != GroupId.LENGTH) {
            throw new ProtocolException("group id of " + b.size() + " bytes, expected " + GroupId.LENGTH);
        }
        return GroupId.of(b.toByteArray());
    }

    private static BlobId blob(ByteString b) throws ProtocolException {
        if (b.size() != BlobId.LENGTH) {
            throw new ProtocolException("blob id of " + b.size() + " bytes, expected " + BlobId.LENGTH);
        }
        return BlobId.fromBytes(b.toByteArray());
    }

    private static ChunkHash hash(ByteString b) throws ProtocolException {
        if (b.size() != ChunkHash.LENGTH) {
            throw new ProtocolException("chunk id of " + b.size() + " bytes, expected " + ChunkHash.LENGTH);
        }
        return ChunkHash.of(b.toByteArray());
    }

    private static long nonNegative(long v, String field) throws ProtocolException {
        if (v < 0) {
            throw new ProtocolException(field + " out of range: " + Long.toUnsignedString(v));
        }
        return v;
    }

    private static int nonNegativeInt(int v, String field) throws ProtocolException {
        if (v < 0) {
            throw new ProtocolException(field + " out of range: " + Integer.toUnsignedString(v));
        }
        return v;
    }

    private static String name(String s) throws ProtocolException {
        return limit(s, Protocol.MAX_NAME_LENGTH);
    }

    private static String limit(String s, int max) throws ProtocolException {
        if (s.length() > max) {
            throw new ProtocolException("text field of " + s.length() + " characters, limit " + max);
        }
        return s;
    }

    private static ErrorCode code(ErrorKind k) {
        return switch (k == null ? ErrorKind.UNSPECIFIED : k) {
            case UNSPECIFIED -> ErrorCode.ERROR_CODE_UNSPECIFIED;
            case BAD_HELLO -> ErrorCode.ERROR_CODE_BAD_HELLO;
            case UNSUPPORTED_VERSION -> ErrorCode.ERROR_CODE_UNSUPPORTED_VERSION;
            case NOT_A_MEMBER -> ErrorCode.ERROR_CODE_NOT_A_MEMBER;
            case BAD_MESSAGE -> ErrorCode.ERROR_CODE_BAD_MESSAGE;
            case INVITE_REFUSED -> ErrorCode.ERROR_CODE_INVITE_REFUSED;
            case RATE_LIMITED -> ErrorCode.ERROR_CODE_RATE_LIMITED;
            case REGISTRATION_REFUSED -> ErrorCode.ERROR_CODE_REGISTRATION_REFUSED;
        };
    }

    private static ErrorKind kind(ErrorCode c) {
        return switch (c) {
            case ERROR_CODE_BAD_HELLO -> ErrorKind.BAD_HELLO;
            case ERROR_CODE_UNSUPPORTED_VERSION -> ErrorKind.UNSUPPORTED_VERSION;
            case ERROR_CODE_NOT_A_MEMBER -> ErrorKind.NOT_A_MEMBER;
            case ERROR_CODE_BAD_MESSAGE -> ErrorKind.BAD_MESSAGE;
            case ERROR_CODE_INVITE_REFUSED -> ErrorKind.INVITE_REFUSED;
            case ERROR_CODE_RATE_LIMITED -> ErrorKind.RATE_LIMITED;
            case ERROR_CODE_REGISTRATION_REFUSED -> ErrorKind.REGISTRATION_REFUSED;
            default -> ErrorKind.UNSPECIFIED;
        };
    }
}
