package org.savesync.core.engine;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.InviteRefusedException;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.JoinResponse;
import org.savesync.core.protocol.Protocol;

/**
 * The authority's side of the join sub-protocol. The joiner's node id is proven by the
 * mutually authenticated connection; its invite token is checked (and a single-use token
 * consumed) before the joiner is added to a new member-list version, and only then is the
 * group secret handed over.
 */
final class JoinAuthority {
    private static final Logger LOG = Logger.getLogger(JoinAuthority.class);

    private JoinAuthority() {
    }

    static JoinResponse handle(SyncEngine e, NodeId joiner, Message.JoinRequest req) {
        long now = e.config().wallClock().getAsLong();
        if (!e.joinLimiter().tryAcquire(joiner, now)) {
            return refuse(e, EngineStats.Refusal.JOIN_RATE_LIMITED, ErrorKind.RATE_LIMITED,
                    "too many join attempts; wait a minute and try again");
        }
        if (req.magic() != Protocol.MAGIC || req.version() != Protocol.VERSION) {
            return refuse(e, EngineStats.Refusal.JOIN_REFUSED, ErrorKind.UNSUPPORTED_VERSION,
                    "joiner speaks protocol version " + req.version() + ", this node speaks " + Protocol.VERSION);
        }
        GroupReplica r = e.replicas().stream().filter(g -> g.id.equals(req.group())).findFirst().orElse(null);
        if (r == null) {
            return refuse(e, EngineStats.Refusal.JOIN_REFUSED, ErrorKind.INVITE_REFUSED,
                    "this node does not host group " + req.group() + "; check the ticket");
        }
        if (!r.info().authority().equals(e.nodeId())) {
            return refuse(e, EngineStats.Refusal.JOIN_REFUSED, ErrorKind.INVITE_REFUSED,
                    "this node is not the authority of group " + req.group() + "; ask for a new ticket");
        }
        try {
            e.invites().redeem(org.savesync.core.membership.InviteToken.parse(req.inviteToken()), req.group(), now);
        } catch (InviteRefusedException ex) {
            return refuse(e, EngineStats.Refusal.JOIN_REFUSED, ErrorKind.INVITE_REFUSED, ex.getMessage());
        } catch (IllegalArgumentException ex) {
            return refuse(e, EngineStats.Refusal.JOIN_REFUSED, ErrorKind.INVITE_REFUSED,
                    "the invite token is malformed; copy the whole ticket again");
        }
        if (!r.isMember(joiner)) {
            String name = req.nodeName().isBlank() ? joiner.shortId(7) : req.nodeName();
            var next = r.members().list().withMember(new Member(joiner, name, Role.MEMBER, now, e.nodeId()), now);
            r.applyMemberList(SignedMemberList.sign(next, e.key()));
            LOG.infof("group %s: %s (%s) joined", r.id, joiner, name);
        }
        r.rememberAddresses(joiner, req.listenAddresses());
        r.announceAddresses(joiner, req.listenAddresses());
        List<Message.PeerAddress> peers = new ArrayList<>();
        peers.add(new Message.PeerAddress(e.nodeId(), e.listenAddresses()));
        r.info().peerAddresses().forEach((node, addrs) -> {
            if (!node.equals(joiner) && r.isMember(node)) {
                peers.add(new Message.PeerAddress(node, addrs));
            }
        });
        var list = r.info().memberList();
        var secret = r.info().secret();
        e.membershipChanged(r);
        return new JoinResponse(true, ErrorKind.UNSPECIFIED, "", r.info().name(), list, secret.epoch(),
                secret.bytes(), peers);
    }

    private static JoinResponse refuse(SyncEngine e, EngineStats.Refusal why, ErrorKind kind, String message) {
        e.stats().refused(why);
        LOG.infof("join refused: %s", message);
        return JoinResponse.refused(kind, message);
    }
}
