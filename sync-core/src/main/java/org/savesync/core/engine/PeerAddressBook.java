package org.savesync.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.savesync.core.identity.NodeId;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;

/**
 * Where the members of one group can be reached: the addresses learned from Hellos, joins
 * and members' gossip, kept in the group's info, and the gossip this node sends. Runs on
 * the engine thread.
 *
 * <p>The book holds one list per member (at most {@link org.savesync.core.protocol.Protocol#MAX_ADDRESSES_PER_PEER},
 * the wire codec's bound), none for non-members. Gossip ({@link Message.PeerAddresses}) about
 * member X from member S is believed when S is X itself, when S is the group's authority
 * (which hears X's own Hello), or when nothing is known of X yet: otherwise any member could
 * point everyone's dialler for X somewhere else, or make them redial in a loop.
 */
final class PeerAddressBook {
    private final GroupReplica r;

    PeerAddressBook(GroupReplica r) {
        this.r = r;
    }

    /** Tells a new link where this node and every other member it knows of can be reached. */
    void sendPeerAddresses(Link link) {
        List<Message.PeerAddress> peers = new ArrayList<>();
        peers.add(new Message.PeerAddress(r.self(), r.engine.listenAddresses()));
        r.info().peerAddresses().forEach((node, addrs) -> {
            if (r.isMember(node) && !node.equals(link.remote())) {
                peers.add(new Message.PeerAddress(node, addrs));
            }
        });
        link.send(new Message.PeerAddresses(r.id, peers));
    }

    /** Tells every other connected member where {@code node} can be reached (a new member, say). */
    void announceAddresses(NodeId node, List<String> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        Message m = new Message.PeerAddresses(r.id, List.of(new Message.PeerAddress(node, addresses)));
        for (Link l : r.links()) {
            if (!l.remote().equals(node)) {
                l.send(m);
            }
        }
    }

    /** Records where {@code node} says it is (its Hello or join); returns whether anything changed. */
    boolean rememberAddresses(NodeId node, List<String> addresses) {
        if (!addresses.isEmpty() && !addresses.equals(r.info().peerAddresses().get(node))) {
            r.setInfo(r.info().withPeerAddresses(node, addresses));
            r.store.saveInfo(r.info());
            return true;
        }
        return false;
    }

    /** Gossip from member {@code from}: learns what it is entitled to tell (see the class comment). */
    void learn(NodeId from, List<Message.PeerAddress> gossip) {
        boolean fromAuthority = from.equals(r.info().authority());
        boolean changed = false;
        for (Message.PeerAddress p : gossip) {
            NodeId node = p.node();
            if (node.equals(r.self()) || !r.isMember(node)) {
                continue;
            }
            if (node.equals(from) || fromAuthority || !r.info().peerAddresses().containsKey(node)) {
                changed |= rememberAddresses(node, p.addresses());
            }
        }
        if (changed) {
            r.engine.membershipChanged(r);
        }
    }
}
