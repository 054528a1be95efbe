package org.savesync.core.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The bulk lane's own handshake messages, sent as frames after TLS; the flow is written down in
 * {@link BulkLanes}' class comment.
 * <pre>
 * HELLO  = "SSBL" u8 version(1) u8 type(1) dialler instance(16) listener instance(16)
 * ACCEPT = "SSBL" u8 version(1) u8 type(2)
 * REFUSE = "SSBL" u8 version(1) u8 type(3) reason (UTF-8, at most 200 bytes)
 * </pre>
 */
final class LaneProtocol {
    /** "SSBL": SaveSync bulk lane. */
    static final byte[] MAGIC = {'S', 'S', 'B', 'L'};
    static final int VERSION = 1;
    static final int HELLO = 1;
    static final int ACCEPT = 2;
    static final int REFUSE = 3;
    static final int MAX_REASON_BYTES = Protocol.MAX_REASON_BYTES;
    private static final int PREFIX = MAGIC.length + 2;
    static final int HELLO_BYTES = PREFIX + 2 * Protocol.INSTANCE_BYTES;
    /** The frame cap until the lane is bound: the largest handshake message (a REFUSE with its reason). */
    static final int MAX_HANDSHAKE_BYTES = PREFIX + MAX_REASON_BYTES;

    private LaneProtocol() {
    }

    /** A parsed lane handshake message; instances are hex, {@code reason} only for REFUSE. */
    record Message(int type, String diallerInstance, String listenerInstance, String reason) {
    }

    static byte[] hello(byte[] diallerInstance, byte[] listenerInstance) {
        byte[] m = prefix(HELLO, HELLO_BYTES);
        System.arraycopy(diallerInstance, 0, m, PREFIX, Protocol.INSTANCE_BYTES);
        System.arraycopy(listenerInstance, 0, m, PREFIX + Protocol.INSTANCE_BYTES, Protocol.INSTANCE_BYTES);
        return m;
    }

    static byte[] accept() {
        return prefix(ACCEPT, PREFIX);
    }

    static byte[] refuse(String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, MAX_REASON_BYTES);
        byte[] m = prefix(REFUSE, PREFIX + n);
        System.arraycopy(r, 0, m, PREFIX, n);
        return m;
    }

    private static byte[] prefix(int type, int length) {
        byte[] m = Arrays.copyOf(MAGIC, length);
        m[MAGIC.length] = (byte) VERSION;
        m[MAGIC.length + 1] = (byte) type;
        return m;
    }

    /** @throws Protocol.ProtocolViolation when the frame is not a lane handshake message of our version */
    static Message parse(byte[] payload) throws Protocol.ProtocolViolation {
        if (payload.length < PREFIX || !Arrays.equals(payload, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Protocol.ProtocolViolation("the first frame on the bulk lane is not a SaveSync lane handshake");
        }
        int version = payload[MAGIC.length] & 0xff;
        if (version != VERSION) {
            throw new Protocol.ProtocolViolation("unsupported bulk lane version " + version + " (this node speaks "
                    + VERSION + "): upgrade the older node");
        }
        int type = payload[MAGIC.length + 1] & 0xff;
        return switch (type) {
            case HELLO -> {
                if (payload.length != HELLO_BYTES) {
                    throw new Protocol.ProtocolViolation("a lane hello of " + payload.length + " bytes (expected "
                            + HELLO_BYTES + ")");
                }
                HexFormat hex = HexFormat.of();
                yield new Message(HELLO, hex.formatHex(payload, PREFIX, PREFIX + Protocol.INSTANCE_BYTES),
                        hex.formatHex(payload, PREFIX + Protocol.INSTANCE_BYTES, HELLO_BYTES), null);
            }
            case ACCEPT -> {
                if (payload.length != PREFIX) {
                    throw new Protocol.ProtocolViolation("a lane accept of " + payload.length + " bytes");
                }
                yield new Message(ACCEPT, null, null, null);
            }
            case REFUSE -> new Message(REFUSE, null, null,
                    new String(payload, PREFIX, payload.length - PREFIX, StandardCharsets.UTF_8));
            default -> throw new Protocol.ProtocolViolation("unknown lane handshake message " + type);
        };
    }
}
