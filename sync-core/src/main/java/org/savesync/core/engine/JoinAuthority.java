package org.savesync.core.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Invite;
import org.savesync.core.membership.InviteRefusedException;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.JoinResponse;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats;

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

    static JoinResponse handle(SyncEngine e, NodeId joiner, InetAddress source, Message.JoinRequest req) {
        long now = e.config().wallClock().getAsLong();
        GroupReplica r = e.replicas().stream().filter(g -> g.id.equals(req.group())).findFirst().orElse(null);
        Refuser no = new Refuser(e, r == null ? null : r.id, joiner, source, now);
        if (e.joinLimiter().nodeLimited(no.group, joiner, now)) {
            e.stats().refused(EngineStats.Refusal.JOIN_RATE_LIMITED);
            return JoinResponse.refused(ErrorKind.RATE_LIMITED, JoinLimiter.NODE_LIMITED);
        }
        if (req.magic() != Protocol.MAGIC || req.version() != Protocol.VERSION) {
            return no.refuse(ErrorKind.UNSUPPORTED_VERSION,
                    "joiner speaks protocol version " + req.version() + ", this node speaks " + Protocol.VERSION);
        }
        if (r == null) {
            return no.refuse(ErrorKind.INVITE_REFUSED, "this node does not host group " + req.group()
                    + "; check the ticket");
        }
        if (!r.info().authority().equals(e.nodeId())) {
            return no.refuse(ErrorKind.INVITE_REFUSED,
                    "this node is not the authority of group " + req.group() + "; ask for a new ticket");
        }
        if (!r.isMember(joiner) && r.members().list().full()) {
            // Before the invite is redeemed: a single-use ticket stays usable once there is room.
            return no.refuse(ErrorKind.INVITE_REFUSED, "group " + r.info().name() + " is full ("
                    + org.savesync.core.membership.MemberList.MAX_MEMBERS + " members); ask an owner to remove one");
        }
        Invite invite;
        try {
            invite = e.invites().redeem(org.savesync.core.membership.InviteToken.parse(req.inviteToken()), req.group(),
                    now);
        } catch (InviteRefusedException ex) {
            return no.refuse(ErrorKind.INVITE_REFUSED, ex.getMessage());
        } catch (IllegalArgumentException ex) {
            return no.refuse(ErrorKind.INVITE_REFUSED, "the invite token is malformed; copy the whole ticket again");
        } catch (RuntimeException ex) {
            LOG.warnf(ex, "group %s: the invite store failed while %s joined", r.id, joiner);
            return no.refuse(ErrorKind.UNSPECIFIED, "the group's authority could not record the invite's use;"
                    + " try again in a minute");
        }
        if (!r.isMember(joiner)) {
            // The joiner becomes what the invite says: a MEMBER, or a READER whose entries everyone refuses.
            String name = req.nodeName().isBlank() ? joiner.shortId(7) : req.nodeName();
            var next = r.members().list().withMember(new Member(joiner, name, invite.role(), now, e.nodeId()), now);
            r.applyMemberList(SignedMemberList.sign(next, e.key()));
            LOG.infof("group %s: %s (%s) joined as %s with invite %s", r.id, joiner, name, invite.role(), invite.id());
            Member added = next.member(joiner).orElseThrow();
            try {
                e.config().membershipObserver().joined(r.id, added);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "group %s: the membership observer failed on the join of %s", r.id, joiner);
            }
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

    /** Refusals of one request: counted by the limiter; once the source is over its budget, without reason or log. */
    private record Refuser(SyncEngine e, GroupId group, NodeId joiner, InetAddress source, long now, boolean quiet) {
        Refuser(SyncEngine e, GroupId group, NodeId joiner, InetAddress source, long now) {
            this(e, group, joiner, source, now, e.joinLimiter().sourceLimited(group, source, now));
        }

        JoinResponse refuse(ErrorKind kind, String message) {
            e.joinLimiter().refused(group, joiner, source, now);
            if (quiet) {
                e.stats().refused(EngineStats.Refusal.JOIN_RATE_LIMITED);
                return JoinResponse.refused(ErrorKind.RATE_LIMITED, JoinLimiter.SOURCE_LIMITED);
            }
            e.stats().refused(EngineStats.Refusal.JOIN_REFUSED);
            LOG.infof("join refused to %s: %s", joiner, message);
            return JoinResponse.refused(kind, message);
        }
    }
}
