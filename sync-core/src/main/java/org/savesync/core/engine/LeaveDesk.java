package org.savesync.core.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.savesync.core.engine.PendingLeaves.PendingLeave;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.InvalidMemberListException;
import org.savesync.core.membership.Leave;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.LeaveRequest;
import org.savesync.core.protocol.Message.LeaveResponse;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.transport.Backoff;

/**
 * Leaving a group, told to its authority, which takes the member off the list and sends the
 * new signed list to everyone.
 *
 * <pre>
 *   leaver                                           authority (hub, or the creator)
 *   stops syncing, keeps the signed leave
 *   (PendingLeaves) ──── LeaveRequest(leave) ──────►  member? (before any signature check)
 *                                                     signed by the sender? not stale?
 *                   ◄─── LeaveResponse(accepted) ───  list without it, signed, pushed to all;
 *                                                     group secret rotated ({@link MemberRemoval})
 *   forgets the leave
 * </pre>
 *
 * Unanswered (the authority is offline): retried with backoff ({@value #RETRY_FIRST_MS} ms
 * doubling to {@value #RETRY_CAP_MS} ms), also after a restart, until answered. An answer
 * either way ends it; a refusal is logged with its reason. The authority itself cannot leave
 * while other members remain. A leave dated before the member's (re)admission is acknowledged
 * and ignored, so a replayed old leave cannot remove a member that joined again.
 */
final class LeaveDesk {
    private static final Logger LOG = Logger.getLogger(LeaveDesk.class);
    static final long RETRY_FIRST_MS = 500;
    static final long RETRY_CAP_MS = 5 * 60_000;
    /** How far ahead of the authority's clock a leave may be dated. */
    static final long MAX_CLOCK_AHEAD_MS = 10 * 60_000;

    private final SyncEngine e;
    /** Leaves being sent, by group; engine thread only. */
    private final Map<GroupId, Attempt> sending = new HashMap<>();

    private final class Attempt {
        final PendingLeave leave;
        final Backoff backoff = new Backoff(Duration.ofMillis(RETRY_FIRST_MS), 2.0, Duration.ofMillis(RETRY_CAP_MS),
                new Random());
        final CompletableFuture<Void> answered = new CompletableFuture<>();

        Attempt(PendingLeave leave) {
            this.leave = leave;
        }
    }

    LeaveDesk(SyncEngine e) {
        this.e = e;
    }

    /** Sends the leaves a previous run left unanswered. Engine thread. */
    void resume() {
        for (PendingLeave p : e.config().leaves().all()) {
            send(p);
        }
    }

    /**
     * The leaver's side, on the engine thread, once the group stopped here: keeps the signed leave
     * and sends it. The future completes when the authority took this node off the list, or fails
     * with a {@link LeaveException} when it refused; it stays open while the authority is unreachable.
     */
    CompletableFuture<Void> leave(GroupReplica r) {
        NodeId authority = r.info().authority();
        Leave l = new Leave(r.id, e.nodeId(), e.config().wallClock().getAsLong());
        PendingLeave p = new PendingLeave(r.id, authority, r.info().peerAddresses().getOrDefault(authority, List.of()),
                l.sign(e.key()));
        e.config().leaves().save(p);
        return send(p);
    }

    private CompletableFuture<Void> send(PendingLeave p) {
        Attempt a = sending.get(p.group());
        if (a == null) {
            a = new Attempt(p);
            sending.put(p.group(), a);
            ask(a, 0);
        }
        return a.answered;
    }

    private void ask(Attempt a, int i) {
        List<String> addrs = a.leave.addresses();
        if (i >= addrs.size()) {
            long delay = a.backoff.next().toMillis();
            LOG.infof("group %s: the authority %s is not reachable at %s; telling it of our leave again in %d ms",
                    a.leave.group(), a.leave.authority(), addrs, delay);
            e.scheduleOnEngineThread(() -> ask(a, 0), delay);
            return;
        }
        e.network().ask(addrs.get(i), a.leave.authority(), new LeaveRequest(a.leave.leave()))
                .whenComplete((m, err) -> e.onEngineThread(() -> {
                    if (err != null || !(m instanceof LeaveResponse resp)) {
                        ask(a, i + 1);
                        return;
                    }
                    sending.remove(a.leave.group());
                    e.config().leaves().remove(a.leave.group());
                    if (resp.accepted()) {
                        LOG.infof("group %s: the authority %s took this node off the member list", a.leave.group(),
                                a.leave.authority());
                        a.answered.complete(null);
                    } else {
                        PeerLog.warn(LOG, "group %s: the authority %s refused our leave: %s", a.leave.group(),
                                a.leave.authority(), resp.error());
                        a.answered.completeExceptionally(new LeaveException("the group's authority refused the leave: "
                                + resp.error()));
                    }
                }));
    }

    /** The authority's side: runs on the engine thread. */
    static LeaveResponse handle(SyncEngine e, NodeId from, LeaveRequest req) {
        long now = e.config().wallClock().getAsLong();
        Leave l;
        try {
            l = Leave.parse(req.leave().signedBytes());
        } catch (InvalidMemberListException ex) {
            return refuse(e, ErrorKind.BAD_MESSAGE, ex.getMessage());
        }
        GroupReplica r = e.replicas().stream().filter(g -> g.id.equals(l.group())).findFirst().orElse(null);
        // Who may ask is checked before the signature is: a stranger costs a map lookup.
        if (r == null || !l.member().equals(from)) {
            return refuse(e, ErrorKind.NOT_A_MEMBER, r == null ? "this node does not host group " + l.group()
                    : "a leave is sent by the member that leaves, not by " + from);
        }
        if (!r.info().authority().equals(e.nodeId())) {
            return refuse(e, ErrorKind.UNSPECIFIED, "this node is not the authority of group " + l.group()
                    + "; tell " + r.info().authority());
        }
        Member m = r.members().list().member(from).orElse(null);
        if (m == null) {
            return new LeaveResponse(true, ErrorKind.UNSPECIFIED, "not a member (any more)");
        }
        try {
            Leave.verify(req.leave());
        } catch (InvalidMemberListException ex) {
            return refuse(e, ErrorKind.BAD_MESSAGE, ex.getMessage());
        }
        if (l.atMillis() > now + MAX_CLOCK_AHEAD_MS) {
            return refuse(e, ErrorKind.BAD_MESSAGE, "the leave is dated " + (l.atMillis() - now) / 1000
                    + " s ahead of this node's clock; fix the leaver's clock");
        }
        if (l.atMillis() < m.addedAtMillis()) {
            return new LeaveResponse(true, ErrorKind.UNSPECIFIED, "joined again after this leave; still a member");
        }
        if (m.role() == Role.HUB || from.equals(r.info().authority())) {
            return refuse(e, ErrorKind.UNSPECIFIED, "the group's authority cannot leave it");
        }
        MemberRemoval.takeOff(e, r, m, false); // a new list and a new secret epoch, as for a removal
        return new LeaveResponse(true, ErrorKind.UNSPECIFIED, "");
    }

    private static LeaveResponse refuse(SyncEngine e, ErrorKind kind, String why) {
        e.stats().refused(EngineStats.Refusal.LEAVE_REFUSED);
        LOG.debugf("leave refused: %s", why); // counted; not logged at info, so strangers cannot flood the log
        return LeaveResponse.refused(kind, why);
    }
}
