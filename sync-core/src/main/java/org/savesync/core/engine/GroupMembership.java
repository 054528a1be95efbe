package org.savesync.core.engine;

import java.util.Arrays;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.protocol.Link;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.Handover;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.SignedRecord;

/**
 * The member list of one group on this node: which list is current, and how a newer one is
 * accepted. A list from a member replaces ours only when its version is higher and it is
 * signed by the authority we know, or by a new authority named in a handover record that
 * the authority we know signed. Runs on the engine thread, except {@link #members} and
 * {@link #isMember}, which read a volatile snapshot.
 */
final class GroupMembership {
    private static final Logger LOG = Logger.getLogger(GroupMembership.class);

    private final GroupReplica r;
    private volatile SignedMemberList members;

    GroupMembership(GroupReplica r, SignedMemberList members) {
        this.r = r;
        this.members = members;
    }

    SignedMemberList members() {
        return members;
    }

    boolean isMember(NodeId node) {
        return members.list().isMember(node);
    }

    Message.MemberListUpdate memberListMessage() {
        return new Message.MemberListUpdate(r.id, r.info().memberList(), r.info().handover());
    }

    void onMemberList(Link from, SignedRecord record, SignedRecord handover) {
        if (Arrays.equals(record.signedBytes(), r.info().memberList().signedBytes())) {
            return; // the list we have (sent on every link up): no signature to check again
        }
        SignedMemberList list;
        try {
            list = SignedMemberList.parse(record.signedBytes(), record.signature());
        } catch (RuntimeException e) {
            r.engine.stats().refused(Refusal.BAD_MEMBER_LIST);
            PeerLog.warn(LOG, "group %s: refused a member list from %s: %s", r.id, from.remote(), Failure.describe(e));
            return;
        }
        if (!list.list().group().equals(r.id)) {
            r.engine.stats().refused(Refusal.BAD_MEMBER_LIST);
            PeerLog.warn(LOG, "group %s: refused a member list for group %s from %s", r.id, list.list().group(),
                    from.remote());
            return;
        }
        if (list.list().version() <= members.list().version()) {
            return;
        }
        if (list.list().authority().equals(r.info().authority())) {
            applyMemberList(list);
            return;
        }
        // A new signer: only with a handover from the authority we know, naming that signer.
        String problem = handoverProblem(handover, list);
        if (problem != null) {
            r.engine.stats().refused(Refusal.BAD_MEMBER_LIST);
            PeerLog.warn(LOG, "group %s: refused a member list from %s signed by %s, the authority is %s: %s", r.id,
                    from.remote(), list.list().authority(), r.info().authority(), problem);
            return;
        }
        acceptHandover(handover, list);
    }

    /** Why {@code handover} does not make {@code list}'s signer our authority, or null when it does. */
    String handoverProblem(SignedRecord handover, SignedMemberList list) {
        if (handover == null) {
            return "no handover record";
        }
        Handover h;
        try {
            h = Handover.verify(handover);
        } catch (RuntimeException e) {
            return Failure.describe(e);
        }
        if (!h.group().equals(r.id) || !h.from().equals(r.info().authority())
                || !h.to().equals(list.list().authority())) {
            return "the handover is from " + h.from() + " to " + h.to() + " for group " + h.group();
        }
        if (list.list().version() <= h.fromVersion()) {
            return "the new authority's list version " + list.list().version() + " is not above "
                    + h.fromVersion();
        }
        return null;
    }

    /** The authority changed (verified by the caller): record the handover and install the list. */
    void acceptHandover(SignedRecord handover, SignedMemberList list) {
        LOG.infof("group %s: authority handed over from %s to %s", r.id, r.info().authority(),
                list.list().authority());
        r.setInfo(r.info().handedOver(list.list().authority(), handover, r.info().memberList()));
        applyMemberList(list);
    }

    /** Installs a newer member list (verified by the caller) and tells every peer. */
    void applyMemberList(SignedMemberList list) {
        members = list;
        r.setInfo(r.info().withMemberList(new SignedRecord(list.signedBytes(), list.signature())));
        r.store.saveInfo(r.info());
        r.membersChanged();
        r.engine.membershipChanged(r);
        if (!list.list().isMember(r.self())) {
            r.engine.removedFrom(r, list.list().authority()); // a verified list without us: we were removed
        }
    }
}
