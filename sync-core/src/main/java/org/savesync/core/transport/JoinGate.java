package org.savesync.core.transport;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The limits of the join sub-protocol ({@link Alpn#JOIN}) on the listening side, and the count of
 * open join connections they are checked against. The join ALPN is the only thing a stranger may
 * do before it is a member, so everything it can make us hold is small and bounded:
 *
 * <pre>
 * streams             one bidirectional (the control stream); a unidirectional stream closes the
 *                     connection (0x3 PROTOCOL_ERROR)
 * frames              at most {@value #MAX_REQUEST_BYTES} bytes from the dialler (a RegisterRequest
 *                     with a signed member list is the largest request); buffers grow as bytes
 *                     arrive, whatever the header announces
 * requests            one per connection; a second frame closes it
 * lifetime            the answering side closes {@link #LINGER} after its answer, and any join
 *                     connection {@link #MAX_LIFETIME} after it opened
 * connections         at most {@value #MAX_PER_ADDRESS} open per source IP address and
 *                     {@value #MAX_CONNECTIONS} in total; more are closed with 0x6 BUSY
 * </pre>
 * QUIC flow-control windows are sent before the ALPN is chosen (the library offers one set of
 * transport parameters per UDP socket), so the join limits are enforced by the reader: it never
 * holds more than one request frame per join connection. Event-loop confined per endpoint: the
 * endpoint calls it under its own lock.
 */
final class JoinGate {
    /** The largest join request a listener reads: 1 MiB. See docs/transport-limits.md for the sum. */
    static final int MAX_REQUEST_BYTES = 1024 * 1024;
    /** Open join connections per source IP address. */
    static final int MAX_PER_ADDRESS = 4;
    /** Open join connections in total. */
    static final int MAX_CONNECTIONS = 32;
    /** How long the answering side keeps a join connection after it sent its answer. */
    static final Duration LINGER = Duration.ofSeconds(3);
    /** The longest a join connection stays open on the listening side (the asker gives up at 30 s). */
    static final Duration MAX_LIFETIME = Duration.ofSeconds(40);

    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    /** Takes a place for a join connection from {@code source}; false when a cap is reached. */
    synchronized boolean tryEnter(InetAddress source) {
        int mine = perAddress.getOrDefault(source, 0);
        if (total >= MAX_CONNECTIONS || mine >= MAX_PER_ADDRESS) {
            return false;
        }
        perAddress.put(source, mine + 1);
        total++;
        return true;
    }

    /** Gives back the place of a join connection from {@code source} that closed. */
    synchronized void leave(InetAddress source) {
        Integer mine = perAddress.get(source);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            perAddress.remove(source);
        } else {
            perAddress.put(source, mine - 1);
        }
        total--;
    }

    synchronized int open() {
        return total;
    }
}
