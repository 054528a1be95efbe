package org.savesync.core.transport;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The transport handshake messages and the QUIC application error codes; the flow is written
 * down in {@link QuicEndpoint}'s class comment.
 */
final class Protocol {
    /** "SSTP": SaveSync transport protocol. */
    static final byte[] MAGIC = {'S', 'S', 'T', 'P'};
    /** 2: HELLO and ACCEPT carry the sender's instance id (version 1 had none). */
    static final int VERSION = 2;
    static final int HELLO = 1;
    static final int ACCEPT = 2;
    /** A random id each endpoint draws when it starts: a new one means the peer restarted. */
    static final int INSTANCE_BYTES = 16;
    /** magic, u8 version, u8 type, instance id. Also the cap on the first frame of a control stream. */
    static final int HANDSHAKE_BYTES = MAGIC.length + 2 + INSTANCE_BYTES;
    private static final int VERSIONED_PREFIX = MAGIC.length + 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Normal close (either side, any time). */
    static final int CLOSE_NORMAL = 0x0;
    /** Listener: the dialer's node id is not a member of any group we share (MEMBER ALPN only). */
    static final int CLOSE_NOT_A_MEMBER = 0x1;
    /** A frame announced more than {@link Frames#MAX_FRAME_SIZE} bytes. */
    static final int CLOSE_FRAME_TOO_LARGE = 0x2;
    /** Bad handshake message, unknown version, unexpected stream. */
    static final int CLOSE_PROTOCOL_ERROR = 0x3;
    /** The transport handshake did not finish within {@link TransportConfig#handshakeTimeout()}. */
    static final int CLOSE_HANDSHAKE_TIMEOUT = 0x4;
    /** A local failure (e.g. the application's receiver threw). */
    static final int CLOSE_INTERNAL_ERROR = 0x5;
    /** Listener: too many connections of this kind (join, handshakes) right now; try again later. */
    static final int CLOSE_BUSY = 0x6;
    /** A newer connection from the same node in the same direction replaced this one. */
    static final int CLOSE_REPLACED = 0x7;

    /** QUIC limits the size of a CONNECTION_CLOSE; keep reasons short. */
    static final int MAX_REASON_BYTES = 200;

    private Protocol() {
    }

    /** A fresh instance id. */
    static byte[] newInstance() {
        byte[] id = new byte[INSTANCE_BYTES];
        RANDOM.nextBytes(id);
        return id;
    }

    /** A hello of a fresh instance (for tests that play a peer). */
    static byte[] hello() {
        return hello(newInstance());
    }

    static byte[] hello(byte[] instance) {
        return message(HELLO, instance);
    }

    static byte[] accept(byte[] instance) {
        return message(ACCEPT, instance);
    }

    private static byte[] message(int type, byte[] instance) {
        if (instance.length != INSTANCE_BYTES) {
            throw new IllegalArgumentException("an instance id has " + INSTANCE_BYTES + " bytes");
        }
        byte[] m = Arrays.copyOf(MAGIC, HANDSHAKE_BYTES);
        m[MAGIC.length] = (byte) VERSION;
        m[MAGIC.length + 1] = (byte) type;
        System.arraycopy(instance, 0, m, MAGIC.length + 2, INSTANCE_BYTES);
        return m;
    }

    /** A parsed HELLO or ACCEPT: its type and the sender's instance id (hex). */
    record Handshake(int type, String instance) {
    }

    /**
     * Parses a handshake message.
     *
     * @throws ProtocolViolation when it is not a handshake message of our version
     */
    static Handshake parse(byte[] payload) throws ProtocolViolation {
        if (payload.length < VERSIONED_PREFIX
                || !Arrays.equals(payload, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtocolViolation("the first frame on the control stream is not a SaveSync transport handshake");
        }
        int version = payload[MAGIC.length] & 0xff;
        if (version != VERSION) {
            throw new ProtocolViolation("unsupported transport version " + version + " (this node speaks "
                    + VERSION + "): upgrade the older node");
        }
        if (payload.length != HANDSHAKE_BYTES) {
            throw new ProtocolViolation("a transport handshake of " + payload.length + " bytes (expected "
                    + HANDSHAKE_BYTES + ")");
        }
        return new Handshake(payload[MAGIC.length + 1] & 0xff,
                HexFormat.of().formatHex(payload, MAGIC.length + 2, HANDSHAKE_BYTES));
    }

    /** The type of a handshake message; see {@link #parse}. */
    static int parseHandshake(byte[] payload) throws ProtocolViolation {
        return parse(payload).type();
    }

    static String describe(long code) {
        return switch ((int) code) {
            case CLOSE_NORMAL -> "normal close";
            case CLOSE_NOT_A_MEMBER -> "not a member";
            case CLOSE_FRAME_TOO_LARGE -> "frame too large";
            case CLOSE_PROTOCOL_ERROR -> "protocol error";
            case CLOSE_HANDSHAKE_TIMEOUT -> "handshake timeout";
            case CLOSE_INTERNAL_ERROR -> "internal error";
            case CLOSE_BUSY -> "busy";
            case CLOSE_REPLACED -> "replaced by a newer connection";
            default -> "unknown code";
        };
    }

    /** The peer broke the transport protocol. */
    static final class ProtocolViolation extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        ProtocolViolation(String message) {
            super(message);
        }
    }
}
