package org.savesync.core.transport;

import java.util.Arrays;

/**
 * The transport handshake messages and the QUIC application error codes; the flow is written
 * down in {@link QuicEndpoint}'s class comment.
 */
final class Protocol {
    /** "SSTP": SaveSync transport protocol. */
    static final byte[] MAGIC = {'S', 'S', 'T', 'P'};
    static final int VERSION = 1;
    static final int HELLO = 1;
    static final int ACCEPT = 2;
    static final int HANDSHAKE_BYTES = MAGIC.length + 2;

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

    /** QUIC limits the size of a CONNECTION_CLOSE; keep reasons short. */
    static final int MAX_REASON_BYTES = 200;

    private Protocol() {
    }

    static byte[] hello() {
        return message(HELLO);
    }

    static byte[] accept() {
        return message(ACCEPT);
    }

    private static byte[] message(int type) {
        byte[] m = Arrays.copyOf(MAGIC, HANDSHAKE_BYTES);
        m[MAGIC.length] = (byte) VERSION;
        m[MAGIC.length + 1] = (byte) type;
        return m;
    }

    /**
     * The type of a handshake message.
     *
     * @throws ProtocolViolation when it is not a handshake message of our version
     */
    static int parseHandshake(byte[] payload) throws ProtocolViolation {
        if (payload.length != HANDSHAKE_BYTES
                || !Arrays.equals(payload, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtocolViolation("the first frame on the control stream is not a SaveSync transport handshake");
        }
        int version = payload[MAGIC.length] & 0xff;
        if (version != VERSION) {
            throw new ProtocolViolation("unsupported transport version " + version + " (this node speaks "
                    + VERSION + "): upgrade the older node");
        }
        return payload[MAGIC.length + 1] & 0xff;
    }

    static String describe(long code) {
        return switch ((int) code) {
            case CLOSE_NORMAL -> "normal close";
            case CLOSE_NOT_A_MEMBER -> "not a member";
            case CLOSE_FRAME_TOO_LARGE -> "frame too large";
            case CLOSE_PROTOCOL_ERROR -> "protocol error";
            case CLOSE_HANDSHAKE_TIMEOUT -> "handshake timeout";
            case CLOSE_INTERNAL_ERROR -> "internal error";
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
