package org.savesync.core.transport;

import java.io.IOException;
import org.savesync.core.identity.NodeId;

/**
 * The peer finished TLS with us but then refused the connection (e.g. we are not a member of any
 * group it shares, or it speaks another transport version). Carries the peer's QUIC application
 * error code and reason.
 */
public final class PeerRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId peer;
    private final long code;
    private final String reason;

    public PeerRefusedException(NodeId peer, long code, String reason) {
        super("peer " + peer + " refused us: " + reason + " (code 0x" + Long.toHexString(code) + ")"
                + (code == Protocol.CLOSE_NOT_A_MEMBER
                        ? "; ask a member to invite this node, or join with an invite ticket" : ""));
        this.peer = peer;
        this.code = code;
        this.reason = reason;
    }

    public NodeId peer() {
        return peer;
    }

    /** The QUIC application error code the peer closed with (see {@link QuicEndpoint}). */
    public long code() {
        return code;
    }

    /** The reason text the peer sent. */
    public String reason() {
        return reason;
    }

    /** True when the peer had too many connections of this kind open (0x6 BUSY): worth trying again shortly. */
    public boolean busy() {
        return code == Protocol.CLOSE_BUSY;
    }

    /** True when the peer refused us because we are not a member of any group it shares. */
    public boolean notAMember() {
        return code == Protocol.CLOSE_NOT_A_MEMBER;
    }
}
