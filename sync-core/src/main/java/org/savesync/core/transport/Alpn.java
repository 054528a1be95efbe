package org.savesync.core.transport;

/**
 * The ALPN protocol ids this transport speaks. Each sub-protocol has its own ALPN so that a
 * listener can route (and admit) a connection before reading a single byte from it.
 */
public final class Alpn {
    /** Group traffic between members; the listener admits only node ids its {@link Admission} knows. */
    public static final String MEMBER = "savesync/1";
    /** The join sub-protocol: the only thing a non-member may do (present an invite token). */
    public static final String JOIN = "savesync-join/1";
    /**
     * The bulk lane: TLS 1.3 over TCP beside a member QUIC connection, carrying its bulk frames
     * (see {@link BulkLanes}). Never offered on QUIC.
     */
    public static final String BULK = "savesync-bulk/1";

    private Alpn() {
    }

    /** The ALPNs of QUIC connections (not {@link #BULK}, which is TCP only). */
    static boolean isKnown(String alpn) {
        return MEMBER.equals(alpn) || JOIN.equals(alpn);
    }
}
