package org.savesync.core.engine;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats;

/**
 * What the network reports, taken in for the engine: how a peer's message gets from a network
 * thread to the group it is for. A link that comes up is greeted with this node's Hello and
 * kept in {@link PeerLinks}; a link that goes down is dropped there, from the serve budget,
 * the verifier, the inbound budget and every group.
 *
 * <p>A message is taken in in this order, and dropped and counted at the first step it fails:
 * <ol>
 * <li>answers to this node's own requests ({@link Message.BlobChunks}, {@link Message.ChunkData})
 *     skip the budget (the requests bound them) and go to {@link RequestRoutes}, which binds
 *     each to the link and group it was asked on;</li>
 * <li>every other message must fit its link's {@link InboundBudget} ({@code QUEUE_FULL});</li>
 * <li>an entry batch is screened before any signature is checked: its group must be one this
 *     node has ({@code WRONG_GROUP}), its sender a member and its author one with write rights
 *     ({@code NOT_A_MEMBER}); then the {@link EntryVerifier} checks its signatures on the I/O
 *     threads;</li>
 * <li>on the engine thread: nothing but Hello before a right Hello ({@link PeerLinks}), then the
 *     group the message names must be one this node has ({@code WRONG_GROUP}), and the group
 *     checks the sender again.</li>
 * </ol>
 * Requests on the authority sub-protocol go to the desk that answers them, on the engine thread.
 */
final class LinkEvents implements NetworkEvents {
    private static final Logger LOG = Logger.getLogger(LinkEvents.class);

    private final SyncEngine engine;
    private final Map<GroupId, GroupReplica> groups;
    private final PeerLinks peers;
    private final RequestRoutes requests;
    private final EngineStats stats;
    private final EntryVerifier verifier;
    private final InboundBudget inbound;

    /** {@code groups} is the engine's own map, read here (from network threads too), never changed. */
    LinkEvents(SyncEngine engine, Map<GroupId, GroupReplica> groups, PeerLinks peers, RequestRoutes requests) {
        this.engine = engine;
        this.groups = groups;
        this.peers = peers;
        this.requests = requests;
        this.stats = engine.stats();
        this.verifier = engine.verifier();
        this.inbound = new InboundBudget(stats);
    }

    @Override
    public boolean isMember(NodeId peer) {
        return groups.values().stream().anyMatch(r -> r.isMember(peer));
    }

    @Override
    public void linkUp(Link link) {
        engine.onEngineThread(() -> {
            peers.up(link);
            link.send(new Message.Hello(Protocol.MAGIC, Protocol.VERSION, engine.config().nodeName(),
                    engine.listenAddresses(), peers.ourNonce(link)));
        });
    }

    @Override
    public void message(Link link, Message m) {
        if (m instanceof Message.BlobChunks || m instanceof Message.ChunkData) {
            engine.onEngineThread(() -> dispatch(link, m)); // answers to our own requests, bounded by them
            return;
        }
        InboundBudget.Ticket t = inbound.admit(link, m);
        if (t == null) {
            stats.refused(EngineStats.Refusal.QUEUE_FULL);
            return;
        }
        if (m instanceof Message.EntryBatch b) {
            EngineStats.Refusal early = screen(link, b);
            if (early != null) {
                inbound.verified(t);
                inbound.release(t);
                stats.refused(early);
                return;
            }
            try {
                verifier.submit(link, b, () -> {
                    inbound.verified(t);
                    engine.onEngineThread(() -> {
                        try {
                            dispatch(link, m);
                        } finally {
                            verifier.take(b); // unused when the batch was dropped on the way
                            inbound.release(t);
                        }
                    });
                });
            } catch (RejectedExecutionException e) {
                // closing
            }
            return;
        }
        engine.onEngineThread(() -> {
            try {
                dispatch(link, m);
            } finally {
                inbound.release(t);
            }
        });
    }

    /**
     * Why an entry batch is refused before any signature in it is checked: a group this
     * node does not have, a sender that is not a member, an author without write rights.
     * Null when it is worth verifying. The engine thread checks again (lists change).
     */
    private EngineStats.Refusal screen(Link link, Message.EntryBatch b) {
        GroupReplica r = groups.get(b.group());
        if (r == null) {
            return EngineStats.Refusal.WRONG_GROUP;
        }
        if (!r.isMember(link.remote())) {
            return EngineStats.Refusal.NOT_A_MEMBER;
        }
        return EntryIntake.authorRefusal(r.members().list(), b.author());
    }

    @Override
    public void linkDown(Link link, Throwable cause) {
        verifier.linkGone(link);
        inbound.linkGone(link);
        engine.onEngineThread(() -> {
            peers.gone(link);
            engine.serving().linkGone(link);
            groups.values().forEach(r -> r.linkGone(link));
        });
    }

    @Override
    public CompletableFuture<Message> authorityRequest(NodeId from, InetAddress source, Message request) {
        return engine.call(() -> switch (request) {
            case Message.JoinRequest j -> JoinAuthority.handle(engine, from, source, j);
            case Message.RegisterRequest r -> HubRegistration.handle(engine, from, source, r);
            case Message.TicketRequest t -> TicketDesk.handle(engine, from, source, t);
            case Message.LeaveRequest l -> LeaveDesk.handle(engine, from, l);
            default -> throw new IllegalArgumentException("not a request for the authority: "
                    + request.getClass().getSimpleName());
        });
    }

    // ------------------------------------------------------------------ on the engine thread

    private void dispatch(Link link, Message m) {
        switch (m) {
            case Message.Hello h -> {
                if (peers.hello(link, h)) {
                    greeted(link, h);
                }
            }
            case Message.ErrorNotice n -> PeerLog.warn(LOG, "peer %s reports: %s (%s)", link.remote(), n.message(), n.kind());
            default -> {
                if (!peers.greeted(link)) {
                    return; // nothing before Hello; anything lost is sent again by anti-entropy
                }
                routeToGroup(link, m);
            }
        }
    }

    /** The first right Hello on {@code link}: every group its peer belongs to starts on it. */
    private void greeted(Link link, Message.Hello h) {
        for (GroupReplica r : groups.values()) {
            if (r.isMember(link.remote())) {
                r.rememberAddresses(link.remote(), h.listenAddresses());
                r.linkReady(link);
            }
        }
    }

    private void routeToGroup(Link link, Message m) {
        GroupId g = switch (m) {
            case Message.MemberListUpdate u -> u.group();
            case Message.Knowledge k -> k.group();
            case Message.EntryBatch b -> b.group();
            case Message.BlobRequest b -> b.group();
            case Message.ChunkRequest c -> c.group();
            case Message.PeerAddresses p -> p.group();
            case Message.GroupProof p -> p.group();
            case Message.GroupSecretUpdate u -> u.group();
            case Message.BlobChunks b -> {
                requests.deliver(link, b);
                yield null;
            }
            case Message.ChunkData d -> {
                requests.deliver(link, d);
                yield null;
            }
            default -> null;
        };
        if (g == null) {
            return;
        }
        GroupReplica r = groups.get(g);
        if (r == null) {
            stats.refused(EngineStats.Refusal.WRONG_GROUP);
            return;
        }
        r.onMessage(link, m);
    }
}
