package org.savesync.core.engine;

import org.jboss.logging.Logger;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;

/**
 * The authority takes a member off a group: removed by an administrator ({@link #remove}) or
 * leaving of its own accord ({@link LeaveDesk}), the same steps follow, on the engine thread:
 * <ol>
 * <li>a new list without the member is signed, and the group secret is rotated to the next
 *     epoch; both are stored together in the group's info;</li>
 * <li>the list goes to every link of the group, the member's too; the member's links leave
 *     the group at once and are closed shortly after (so the list reaches it first), and from
 *     then on the member is refused on every link (it is no longer on the list);</li>
 * <li>on a removal, every outstanding invite of the group is revoked: old tickets stop working;</li>
 * <li>the new secret goes to every member connected now ({@code GroupSecretUpdate}) and each
 *     link proves the new epoch again ({@link LinkProofs}); a member that was away gets it when
 *     its proof shows the older epoch. The removed member never gets it;</li>
 * <li>the {@link MembershipObserver} hears of it.</li>
 * </ol>
 */
final class MemberRemoval {
    private static final Logger LOG = Logger.getLogger(MemberRemoval.class);

    private MemberRemoval() {
    }

    /** An administrator's removal: on the group's authority only, never of the authority itself. */
    static Removal remove(SyncEngine e, GroupId group, NodeId node) {
        GroupReplica r = e.replica(group);
        if (!r.info().authority().equals(e.nodeId())) {
            throw new IllegalStateException("this node is not the authority of group " + group
                    + "; ask " + r.info().authority() + " to remove the member");
        }
        Member m = r.members().list().member(node).orElseThrow(() -> new IllegalArgumentException(
                "node " + node + " is not a member of group " + r.info().name() + " (" + group + ")"));
        if (m.role() == Role.HUB || node.equals(r.info().authority())) {
            throw new IllegalArgumentException("the group's authority cannot be removed from group "
                    + r.info().name() + " (" + group + ")");
        }
        return takeOff(e, r, m, true);
    }

    /** Takes {@code m} off {@code r}'s list (checked by the caller), rotating the secret; see the class comment. */
    static Removal takeOff(SyncEngine e, GroupReplica r, Member m, boolean removed) {
        long now = e.config().wallClock().getAsLong();
        SignedMemberList next = SignedMemberList.sign(r.members().list().withoutMember(m.id(), now), e.key());
        GroupSecret secret = r.info().secret().rotate();
        r.setInfo(r.info().withSecret(secret));
        r.applyMemberList(next); // stores the list with the new secret, tells every link, lets m's go
        int revoked = removed ? e.invites().revokeGroup(r.id) : 0;
        r.proofs.rotated();
        LOG.infof("group %s: %s (%s) %s; member list version %d, group secret epoch %d%s", r.id, m.id(), m.name(),
                removed ? "removed" : "left", next.list().version(), secret.epoch(),
                removed ? ", " + revoked + " invite(s) revoked" : "");
        try {
            if (removed) {
                e.config().membershipObserver().removed(r.id, m);
            } else {
                e.config().membershipObserver().left(r.id, m);
            }
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "group %s: the membership observer failed on the %s of %s", r.id,
                    removed ? "removal" : "leave", m.id());
        }
        return new Removal(r.id, m.id(), m.name(), next.list().version(), secret.epoch());
    }
}
