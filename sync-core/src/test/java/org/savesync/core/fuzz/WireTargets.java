package org.savesync.core.fuzz;

import static org.savesync.core.fuzz.ParserTarget.AllocationBound.linear;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.ProtocolException;
import org.savesync.core.protocol.WireCodec;

/**
 * The two envelope decoders: every frame a peer sends on the member ALPN ({@link WireCodec#decode})
 * and on the join ALPN ({@link WireCodec#decodeJoin}), which a stranger may send. Both may only
 * refuse with {@link ProtocolException}; an accepted frame must keep the protocol's limits
 * ({@link WireLimits}) and re-encode to a message that decodes to the same thing.
 */
final class WireTargets {
    /**
     * Protobuf builds an object of a few dozen bytes for each field it reads, and a field can be
     * two bytes long, so 48 bytes per input byte; 128 KiB for fixed costs (a refusal's exception
     * and its cause). The real encoders' frames cost 4-35 KiB.
     */
    private static final ParserTarget.AllocationBound BOUND = linear(48, 128 * 1024);

    private WireTargets() {
    }

    static ParserTarget member() {
        return new ParserTarget(1, "WireCodec.decode", List.of(ProtocolException.class), BOUND,
                input -> roundTrip(WireCodec.decode(frame(input)), WireCodec::encode, WireCodec::decode),
                () -> seeds(memberMessages(), WireCodec::encode));
    }

    static ParserTarget join() {
        return new ParserTarget(2, "WireCodec.decodeJoin", List.of(ProtocolException.class), BOUND,
                input -> roundTrip(WireCodec.decodeJoin(frame(input)), WireCodec::encodeJoin, WireCodec::decodeJoin),
                () -> seeds(joinMessages(), WireCodec::encodeJoin));
    }

    /**
     * The frame an input describes. Every message is a length-delimited field of the envelope,
     * so a byte-level mutation that changes an inner length (say, of a group secret) breaks the
     * outer one too, and protobuf refuses the frame before our checks see it. Hence two forms:
     * first byte even, the rest is the frame as is; odd, the second byte picks the envelope
     * field (1..16) and the rest is that message's body, wrapped here with the right length.
     */
    static byte[] frame(byte[] input) {
        if (input.length == 0 || (input[0] & 1) == 0) {
            return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        }
        if (input.length < 2) {
            return new byte[0];
        }
        int field = (input[1] & 0x0f) + 1;
        int bodyLength = input.length - 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream(bodyLength + 6);
        out.write(field << 3 | 2); // length-delimited
        for (int v = bodyLength; ; v >>>= 7) {
            if (v < 0x80) {
                out.write(v);
                break;
            }
            out.write(v & 0x7f | 0x80);
        }
        out.write(input, 2, bodyLength);
        return out.toByteArray();
    }

    /** Each message in both forms of {@link #frame}. */
    private static List<byte[]> seeds(List<Message> messages, Function<Message, byte[]> encode) {
        List<byte[]> out = new ArrayList<>();
        for (Message m : messages) {
            byte[] frame = encode.apply(m);
            byte[] raw = new byte[frame.length + 1];
            System.arraycopy(frame, 0, raw, 1, frame.length);
            out.add(raw);
            int at = 1;
            while ((frame[at] & 0x80) != 0) {
                at++;
            }
            at++;
            byte[] wrapped = new byte[frame.length - at + 2];
            wrapped[0] = 1;
            wrapped[1] = (byte) ((frame[0] >>> 3) - 1);
            System.arraycopy(frame, at, wrapped, 2, frame.length - at);
            out.add(wrapped);
        }
        return out;
    }

    @FunctionalInterface
    private interface Decoder {
        Message decode(byte[] frame) throws ProtocolException;
    }

    private static void roundTrip(Message m, Function<Message, byte[]> encode, Decoder decode) {
        WireLimits.check(m);
        byte[] again;
        try {
            again = encode.apply(m);
        } catch (RuntimeException e) {
            throw new AssertionError("the encoder refuses the decoded " + m + ": " + e, e);
        }
        Message back;
        try {
            back = decode.decode(again);
        } catch (ProtocolException e) {
            throw new AssertionError("the re-encoded " + m + " is refused: " + e.getMessage(), e);
        }
        Structural.assertEqual(m, back);
    }

    private static List<Message> memberMessages() {
        var a = FixedKey.AUTHORITY.id();
        var b = FixedKey.MEMBER.id();
        var g = Samples.GROUP;
        var entries = Samples.entries().stream().map(Samples::signedEntry).toList();
        List<Message> all = List.of(
                new Message.Hello(Protocol.MAGIC, Protocol.VERSION, "laptop", List.of("127.0.0.1:22100", "[::1]:22100")),
                new Message.MemberListUpdate(g, Samples.signedList()),
                new Message.MemberListUpdate(g, Samples.signedList(), Samples.signedHandover()),
                new Message.Knowledge(g, Map.of(a, 7L, b, Long.MAX_VALUE)),
                new Message.EntryBatch(g, a, 0, Long.MAX_VALUE, entries),
                new Message.BlobRequest(5, g, Samples.BLOB, 3),
                new Message.BlobChunks(5, Samples.BLOB, true, 0, 2,
                        List.of(new ChunkRef(Samples.CHUNK.length, Samples.HASH), new ChunkRef(1, Samples.HASH))),
                new Message.BlobChunks(6, Samples.BLOB, false, 0, 0, List.of()),
                new Message.ChunkRequest(7, g, Samples.HASH),
                new Message.ChunkData(7, Samples.HASH, Samples.CHUNK),
                new Message.ChunkData(8, Samples.HASH, null),
                new Message.ErrorNotice(ErrorKind.NOT_A_MEMBER, "not a member of that group"),
                new Message.PeerAddresses(g, List.of(new Message.PeerAddress(b, List.of("10.0.0.2:22100")))),
                new Message.Hello(Protocol.MAGIC, Protocol.VERSION, "phone", List.of(), new byte[Protocol.HELLO_NONCE_LENGTH]),
                new Message.GroupProof(g, 3, new byte[Protocol.GROUP_PROOF_MAC_LENGTH]),
                new Message.GroupProof(g, Long.MAX_VALUE, filled(Protocol.GROUP_PROOF_MAC_LENGTH, 7)),
                new Message.GroupSecretUpdate(g, 4, filled(32, 9)));
        return all;
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static List<Message> joinMessages() {
        var g = Samples.GROUP;
        var peers = List.of(new Message.PeerAddress(FixedKey.MEMBER.id(), List.of("192.0.2.1:22100")));
        byte[] secret = new byte[32];
        List<Message> all = List.of(
                new Message.JoinRequest(Protocol.MAGIC, Protocol.VERSION, g, "a".repeat(39), "phone", List.of("127.0.0.1:1")),
                new Message.JoinResponse(true, ErrorKind.UNSPECIFIED, "", "photos", Samples.signedList(), 2, secret, peers),
                Message.JoinResponse.refused(ErrorKind.INVITE_REFUSED, "this invite was already used"),
                new Message.RegisterRequest(Protocol.MAGIC, Protocol.VERSION, "enroll-token", g, "photos",
                        Samples.signedList(), Samples.signedHandover(), 1, secret, "laptop", List.of("127.0.0.1:1"), peers),
                new Message.RegisterResponse(true, ErrorKind.UNSPECIFIED, "", Samples.signedList()),
                Message.RegisterResponse.refused(ErrorKind.REGISTRATION_REFUSED, "not enrolled"),
                new Message.TicketRequest(g, 86_400, 1, org.savesync.core.membership.Role.MEMBER),
                new Message.TicketRequest(g, 3_600, 250, org.savesync.core.membership.Role.READER),
                new Message.TicketResponse(true, ErrorKind.UNSPECIFIED, "", "savesync1abc"),
                Message.TicketResponse.refused(ErrorKind.RATE_LIMITED, "too many"),
                new Message.LeaveRequest(Samples.signedLeave()),
                new Message.LeaveResponse(true, ErrorKind.UNSPECIFIED, ""),
                Message.LeaveResponse.refused(ErrorKind.NOT_A_MEMBER, "this node does not host group"));
        return all;
    }
}
