package org.savesync.core.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats;

/**
 * The live member-protocol links of this node and their handshake. Every link the network
 * reports up is kept here until it goes down, keyed by the link itself: the transport keeps
 * one connection per node id and direction (a newer one replaces the older), so a peer has at
 * most two, the one it dialled and the one this node dialled. A link counts as
 * <em>connected</em> once its peer's {@link Message.Hello} was right: {@link Protocol#MAGIC}
 * and {@link Protocol#VERSION}. A wrong Hello is answered with an {@link Message.ErrorNotice}
 * naming both versions, counted as {@link EngineStats.Refusal#BAD_HELLO}, and the link is
 * closed; until a right one arrives, the link carries nothing to any group.
 *
 * <p>Engine thread only.
 */
final class PeerLinks {
    private static final Logger LOG = Logger.getLogger(PeerLinks.class);

    private static final class PeerState {
        boolean hello;
        List<String> addresses = List.of();
        /** What this node's Hello on the link carries: the peer's group proofs on it are bound to it. */
        final byte[] ourNonce = Protocol.newHelloNonce();
        /** The peer's Hello nonce: this node's group proofs on the link are bound to it. */
        byte[] theirNonce;
    }

    private final Map<Link, PeerState> links = new HashMap<>();
    private final EngineStats stats;

    PeerLinks(EngineStats stats) {
        this.stats = stats;
    }

    /** The network reported {@code link} up: it waits for its Hello. */
    void up(Link link) {
        links.putIfAbsent(link, new PeerState()); // taken in early (see state): keep the nonce it has
    }

    /** The nonce this node's Hello on {@code link} carries; null once the link is gone. */
    byte[] ourNonce(Link link) {
        PeerState st = state(link);
        return st == null ? null : st.ourNonce;
    }

    /** The nonce of the peer's right Hello on {@code link}; null before it (or once the link is gone). */
    byte[] theirNonce(Link link) {
        PeerState st = links.get(link);
        return st == null || !st.hello ? null : st.theirNonce;
    }

    /** The network reported {@code link} down. */
    void gone(Link link) {
        links.remove(link);
    }

    /** Whether {@code link}'s peer said a right Hello (an open link not seen yet is taken in, waiting for it). */
    boolean greeted(Link link) {
        PeerState st = state(link);
        return st != null && st.hello;
    }

    /**
     * Takes {@code h}, said on {@code link}: refuses and closes the link when it is wrong,
     * otherwise records where the peer listens. True only for the link's first right Hello,
     * when the groups the peer belongs to start on the link.
     */
    boolean hello(Link link, Message.Hello h) {
        PeerState st = state(link);
        if (st == null) {
            return false; // the link closed meanwhile: nothing starts on it
        }
        String problem = null;
        Message.ErrorKind kind = Message.ErrorKind.BAD_HELLO;
        if (h.magic() != Protocol.MAGIC) {
            problem = "not a SaveSync peer (bad magic 0x" + Integer.toHexString(h.magic()) + ")";
        } else if (h.version() != Protocol.VERSION) {
            kind = Message.ErrorKind.UNSUPPORTED_VERSION;
            problem = "peer speaks protocol version " + h.version() + ", this node speaks " + Protocol.VERSION
                    + (h.version() > Protocol.VERSION ? ": upgrade this node" : ": upgrade the peer");
        }
        if (problem != null) {
            stats.refused(EngineStats.Refusal.BAD_HELLO);
            PeerLog.warn(LOG, "refusing %s: %s", link.remote(), problem);
            link.send(new Message.ErrorNotice(kind, problem));
            link.close(problem);
            return false;
        }
        boolean first = !st.hello;
        st.hello = true;
        st.addresses = h.listenAddresses();
        if (first) {
            st.theirNonce = h.nonce().clone();
        }
        return first;
    }

    /** The links whose peer said a right Hello. */
    List<Link> greeted() {
        return links.entrySet().stream().filter(e -> e.getValue().hello).map(Map.Entry::getKey).toList();
    }

    /** The connected peers as the engine shows them: node, direction, where each says it listens. */
    List<SyncEngine.PeerLink> connected() {
        return links.entrySet().stream().filter(e -> e.getValue().hello)
                .map(e -> new SyncEngine.PeerLink(e.getKey().remote(), e.getKey().inbound(), e.getValue().addresses))
                .toList();
    }

    /** Links tracked now (open ones, and closed ones until the network reports them down). */
    int size() {
        return links.size();
    }

    /**
     * The state of {@code link}; an open link not reported up yet is taken in. A closed one is
     * not: a message that reaches the engine after its link went down (an entry batch whose
     * verification ended later) must not leave an entry that no {@link #gone} will ever remove.
     */
    private PeerState state(Link link) {
        PeerState st = links.get(link);
        if (st == null && link.isOpen()) {
            st = new PeerState();
            links.put(link, st);
        }
        return st;
    }
}
