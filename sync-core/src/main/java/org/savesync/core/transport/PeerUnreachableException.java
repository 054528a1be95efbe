package org.savesync.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A dial that never reached a QUIC handshake: no answer within the handshake timeout, or the
 * network refused to send (no route, port unreachable). The message names the address dialled
 * and what to check, and none of the transport's internals.
 */
public final class PeerUnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final InetSocketAddress address;

    private PeerUnreachableException(InetSocketAddress address, String message) {
        super(message);
        this.address = address;
    }

    /** No answer at all within {@code waited}. */
    static PeerUnreachableException noAnswer(InetSocketAddress address, Duration waited) {
        return new PeerUnreachableException(address, "cannot reach " + shown(address) + " (no answer in "
                + waited.toSeconds() + " s): is the agent running there? is UDP " + address.getPort() + " open?");
    }

    /** The network would not carry the packets ({@code why}: the operating system's words). */
    static PeerUnreachableException network(InetSocketAddress address, String why) {
        return new PeerUnreachableException(address, "cannot reach " + shown(address) + " (" + why + "): is the address"
                + " right and the machine on this network? is UDP " + address.getPort() + " open?");
    }

    /** The address dialled. */
    public InetSocketAddress address() {
        return address;
    }

    /** {@code HOST:PORT} as the user wrote it (no resolver output, no leading slash). */
    static String shown(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
