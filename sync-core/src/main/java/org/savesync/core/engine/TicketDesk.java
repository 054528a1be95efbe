package org.savesync.core.engine;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.InviteRegistry;
import org.savesync.core.membership.InviteSpec;
import org.savesync.core.membership.Ticket;
import org.savesync.core.membership.TooManyInvitesException;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.TicketRequest;
import org.savesync.core.protocol.Message.TicketResponse;
import org.savesync.core.stats.EngineStats;

/**
 * Invite tickets come from the group's authority: this node makes them itself when it is
 * the authority; otherwise it asks the authority (the hub) with a {@link TicketRequest} on
 * the authority sub-protocol, and the authority gives one to any member with write rights
 * (a READER may not invite anyone). The member chooses the invite's lifetime, limit and role
 * within {@link InviteSpec}'s bounds (1 minute to 30 days, 1 to 10,000 joiners, MEMBER or
 * READER); a request outside them is refused with the reason, never silently changed.
 */
final class TicketDesk {
    private static final Logger LOG = Logger.getLogger(TicketDesk.class);

    /** A requested TTL is cut here before it becomes a Duration (it is refused above 30 days anyway). */
    private static final long MAX_ASKED_TTL_SECONDS = InviteRegistry.MAX_TTL.toSeconds() + 1;

    private TicketDesk() {
    }

    static CompletableFuture<Ticket> request(SyncEngine e, GroupId group, InviteSpec spec) {
        // Everything on the engine thread is decided there, without waiting on it (no join).
        return e.call(() -> {
            GroupReplica r = e.replica(group);
            var info = r.info();
            if (info.authority().equals(e.nodeId())) {
                return CompletableFuture.completedFuture(make(e, r, spec));
            }
            List<String> addrs = info.peerAddresses().getOrDefault(info.authority(), List.of());
            TicketRequest req = new TicketRequest(group, spec.ttl().toSeconds(), spec.maxUses(), spec.role());
            return ask(e, info.authority(), addrs, req, 0, null);
        }).thenCompose(f -> f);
    }

    private static CompletableFuture<Ticket> ask(SyncEngine e, NodeId authority, List<String> addrs, TicketRequest req,
                                                 int i, Throwable last) {
        if (addrs.isEmpty()) {
            return CompletableFuture.failedFuture(new TicketException(ErrorKind.UNSPECIFIED,
                    "this node does not know yet where the group's authority " + authority
                            + " can be reached (it learns that from the other members); try again in a few seconds"));
        }
        if (i >= addrs.size()) {
            return CompletableFuture.failedFuture(new TicketException(ErrorKind.UNSPECIFIED,
                    "cannot reach the group's authority " + authority + " at " + addrs
                            + (last == null ? "" : ": " + HubRegistration.rootMessage(last))));
        }
        return e.network().ask(addrs.get(i), authority, req).handle((m, err) -> {
            if (err != null) {
                return ask(e, authority, addrs, req, i + 1, err);
            }
            if (!(m instanceof TicketResponse resp)) {
                return CompletableFuture.<Ticket>failedFuture(new TicketException(ErrorKind.BAD_MESSAGE,
                        "the authority answered a ticket request with " + m.getClass().getSimpleName()));
            }
            if (!resp.accepted()) {
                return CompletableFuture.<Ticket>failedFuture(new TicketException(resp.errorKind(),
                        "the group's authority refused a ticket: " + resp.error()));
            }
            try {
                Ticket t = Ticket.parse(resp.ticket());
                if (!t.group().equals(req.group()) || !t.authority().equals(authority)) {
                    return CompletableFuture.<Ticket>failedFuture(new TicketException(ErrorKind.BAD_MESSAGE,
                            "the authority sent a ticket for another group or authority"));
                }
                return CompletableFuture.completedFuture(t);
            } catch (RuntimeException ex) {
                return CompletableFuture.<Ticket>failedFuture(new TicketException(ErrorKind.BAD_MESSAGE,
                        "the authority sent an invalid ticket: " + Failure.describe(ex)));
            }
        }).thenCompose(f -> f);
    }

    /** On the engine thread: a ticket of {@code e}, the group's authority, as {@code spec} says. */
    static Ticket make(SyncEngine e, GroupReplica r, InviteSpec spec) {
        if (!r.info().authority().equals(e.nodeId())) {
            throw new IllegalStateException("this node is not the authority of group " + r.id
                    + "; ask " + r.info().authority() + " for a ticket");
        }
        return Ticket.forInvite(e.invites().create(r.id, spec, e.config().wallClock().getAsLong()), r.info().name(),
                e.nodeId(), e.listenAddresses());
    }

    /** The authority's side: runs on the engine thread. */
    static TicketResponse handle(SyncEngine e, NodeId from, InetAddress source, TicketRequest req) {
        long now = e.config().wallClock().getAsLong();
        GroupReplica r = e.replicas().stream().filter(g -> g.id.equals(req.group())).findFirst().orElse(null);
        String problem = null;
        if (r == null || !r.isMember(from)) {
            // Members ask as often as they like; outsiders' refusals are counted like refused joins.
            GroupId hosted = r == null ? null : r.id;
            boolean limited = e.joinLimiter().nodeLimited(hosted, from, now)
                    || e.joinLimiter().sourceLimited(hosted, source, now);
            e.joinLimiter().refused(hosted, from, source, now);
            if (limited) {
                e.stats().refused(EngineStats.Refusal.TICKET_REFUSED);
                return TicketResponse.refused(ErrorKind.RATE_LIMITED, JoinLimiter.NODE_LIMITED);
            }
            problem = "only members of group " + req.group() + " may ask for its tickets";
        } else if (!r.info().authority().equals(e.nodeId())) {
            problem = "this node is not the authority of group " + req.group();
        } else if (!r.members().list().canWrite(from)) {
            problem = "readers may not invite others";
        }
        if (problem != null) {
            e.stats().refused(EngineStats.Refusal.TICKET_REFUSED);
            LOG.infof("ticket refused to %s: %s", from, problem);
            return TicketResponse.refused(r == null || !r.isMember(from) ? ErrorKind.NOT_A_MEMBER : ErrorKind.INVITE_REFUSED,
                    problem);
        }
        Ticket t;
        InviteSpec spec;
        try {
            // The member's own bounds are checked here: a TTL, limit or role out of range is refused with why.
            spec = new InviteSpec(Duration.ofSeconds(Math.min(req.ttlSeconds(), MAX_ASKED_TTL_SECONDS)), req.maxUses(),
                    req.role(), InviteSpec.byNode(from));
            t = make(e, r, spec);
        } catch (TooManyInvitesException | IllegalArgumentException ex) {
            e.stats().refused(EngineStats.Refusal.TICKET_REFUSED);
            LOG.infof("ticket refused to %s: %s", from, ex.getMessage());
            return TicketResponse.refused(ErrorKind.INVITE_REFUSED, ex.getMessage());
        }
        LOG.infof("group %s: ticket for %s (%s, %d uses, %s)", req.group(), from, spec.role(), spec.maxUses(), spec.ttl());
        return new TicketResponse(true, ErrorKind.UNSPECIFIED, "", t.text());
    }
}
