package org.savesync.core.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Handover;
import org.savesync.core.membership.HubAddress;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.ErrorKind;
import org.savesync.core.protocol.Message.RegisterRequest;
import org.savesync.core.protocol.Message.RegisterResponse;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.stats.EngineStats;

/**
 * Registering a group with a hub, both sides, on the authority sub-protocol.
 * <pre>
 *   creator                                          hub
 *   signs Handover(group, creator -> hub, v)
 *   RegisterRequest(list v, handover, secret,  ──►   RegistrationPolicy.admit (enrolled, or a
 *                   enroll token, peers)             valid enroll token enrolls it); checks the
 *                                                    list is the sender's and the handover names
 *                                                    this node; list v+1 = members + hub (HUB),
 *                                                    authority = hub, signed by the hub; starts
 *                                              ◄──   the group as a full replica
 *   RegisterResponse(list v+1)
 *   verifies it against its own handover, installs it (authority = hub) and pushes it, with
 *   the handover, to every member it is connected to; members pass both on
 * </pre>
 * Registering again is harmless: a hub that already is the authority answers with its list.
 */
final class HubRegistration {
    private static final Logger LOG = Logger.getLogger(HubRegistration.class);

    private HubRegistration() {
    }

    // ------------------------------------------------------------------ the creator's side

    static CompletableFuture<Void> register(SyncEngine e, org.savesync.core.membership.GroupId group, HubAddress hub,
                                            String enrollToken) {
        return e.call(() -> {
            GroupReplica r = e.replica(group);
            GroupInfo info = r.info();
            if (info.authority().equals(hub.node())) {
                return null; // already registered there
            }
            if (!info.authority().equals(e.nodeId())) {
                throw new RegistrationException("this node is not the authority of group " + group + " ("
                        + info.authority() + " is): only the authority can register it with a hub");
            }
            if (hub.node().equals(e.nodeId())) {
                throw new RegistrationException("the hub " + hub + " is this node itself");
            }
            long now = e.config().wallClock().getAsLong();
            SignedRecord handover = new Handover(group, e.nodeId(), hub.node(), r.members().version(), now).sign(e.key());
            List<Message.PeerAddress> peers = new ArrayList<>();
            info.peerAddresses().forEach((node, addrs) -> {
                if (r.isMember(node)) {
                    peers.add(new Message.PeerAddress(node, addrs));
                }
            });
            GroupSecret secret = info.secret();
            return new RegisterRequest(Protocol.MAGIC, Protocol.VERSION, enrollToken == null ? "" : enrollToken, group,
                    info.name(), info.memberList(), handover, secret.epoch(), secret.bytes(), e.config().nodeName(),
                    e.listenAddresses(), peers);
        }).thenCompose(req -> req == null ? CompletableFuture.completedFuture(null)
                : e.network().ask(hub.address(), hub.node(), req)
                        .exceptionally(err -> {
                            throw new RegistrationException("cannot reach the hub " + hub + ": " + rootMessage(err), err);
                        })
                        .thenCompose(answer -> e.call(() -> {
                            install(e, req, hub, answer);
                            return null;
                        })));
    }

    private static void install(SyncEngine e, RegisterRequest req, HubAddress hub, Message answer) {
        if (!(answer instanceof RegisterResponse resp)) {
            throw new RegistrationException("the hub answered a registration with " + answer.getClass().getSimpleName());
        }
        if (!resp.accepted()) {
            throw new RegistrationException("the hub refused to take group " + req.group() + ": " + resp.error());
        }
        GroupReplica r = e.replica(req.group());
        if (r.info().authority().equals(hub.node())) {
            return; // installed meanwhile (a list pushed by the hub got here first)
        }
        SignedMemberList list;
        try {
            list = SignedMemberList.parse(resp.memberList().signedBytes(), resp.memberList().signature());
        } catch (RuntimeException ex) {
            throw new RegistrationException("the hub sent an invalid member list: " + ex.getMessage(), ex);
        }
        String problem = r.handoverProblem(req.handover(), list);
        if (problem == null && !list.list().isMember(e.nodeId())) {
            problem = "this node is not on it";
        }
        if (problem != null) {
            throw new RegistrationException("the hub's member list for group " + req.group() + " does not fit: " + problem);
        }
        r.rememberAddresses(hub.node(), hub.addresses());
        r.acceptHandover(req.handover(), list);
        LOG.infof("group %s: registered with hub %s, which is its authority now", req.group(), hub);
    }

    // ------------------------------------------------------------------ the hub's side

    static RegisterResponse handle(SyncEngine e, NodeId from, InetAddress source, RegisterRequest req) {
        long now = e.config().wallClock().getAsLong();
        // Registration creates the group here, so its counters are those of groups this hub does not host.
        // Only the node's own refusals stop it: others at its address cannot lock an enrolled agent out.
        if (e.joinLimiter().nodeLimited(null, from, now)) {
            return refuse(e, ErrorKind.RATE_LIMITED, JoinLimiter.NODE_LIMITED);
        }
        if (req.magic() != Protocol.MAGIC || req.version() != Protocol.VERSION) {
            return refuse(e, ErrorKind.UNSUPPORTED_VERSION, "the agent speaks protocol version " + req.version()
                    + ", this hub speaks " + Protocol.VERSION);
        }
        if (!e.config().fullReplica()) {
            return refuse(e, ErrorKind.REGISTRATION_REFUSED, "this node is not a hub; it does not take groups over");
        }
        try {
            e.config().registrations().admit(from, req.group(), req.enrollToken());
        } catch (RegistrationRefusedException ex) {
            e.joinLimiter().refused(null, from, source, now); // only refusals count: an enrolled agent registers as often as it needs
            return refuse(e, ErrorKind.REGISTRATION_REFUSED, ex.getMessage());
        }
        SignedMemberList theirs;
        Handover handover;
        try {
            theirs = SignedMemberList.parse(req.memberList().signedBytes(), req.memberList().signature());
            handover = Handover.verify(req.handover());
        } catch (RuntimeException ex) {
            return refuse(e, ErrorKind.BAD_MESSAGE, "invalid member list or handover: " + Failure.describe(ex));
        }
        MemberList list = theirs.list();
        if (!list.group().equals(req.group()) || !list.authority().equals(from) || !handover.group().equals(req.group())
                || !handover.from().equals(from) || !handover.to().equals(e.nodeId())
                || handover.fromVersion() != list.version()) {
            return refuse(e, ErrorKind.REGISTRATION_REFUSED, "only the authority of group " + req.group()
                    + " can register it, with a handover to this hub for its newest member list");
        }
        GroupReplica existing = e.replicas().stream().filter(g -> g.id.equals(req.group())).findFirst().orElse(null);
        if (existing != null) {
            if (existing.info().authority().equals(e.nodeId()) && existing.isMember(from)) {
                existing.rememberAddresses(from, req.listenAddresses());
                return new RegisterResponse(true, ErrorKind.UNSPECIFIED, "", existing.info().memberList());
            }
            return refuse(e, ErrorKind.REGISTRATION_REFUSED, "group " + req.group() + " is already held here");
        }
        List<Member> members = new ArrayList<>(list.members());
        members.removeIf(m -> m.id().equals(e.nodeId()));
        members.add(new Member(e.nodeId(), e.config().nodeName(), Role.HUB, now, from));
        SignedMemberList first = SignedMemberList.sign(
                new MemberList(list.group(), Math.addExact(list.version(), 1), e.nodeId(), now, members), e.key());
        SignedRecord firstRecord = new SignedRecord(first.signedBytes(), first.signature());
        Map<NodeId, List<String>> addresses = new java.util.HashMap<>();
        for (Message.PeerAddress p : req.peers()) {
            if (list.isMember(p.node()) && !p.node().equals(e.nodeId())) {
                addresses.put(p.node(), p.addresses());
            }
        }
        if (!req.listenAddresses().isEmpty()) {
            addresses.put(from, req.listenAddresses());
        }
        GroupInfo info = new GroupInfo(req.group(), req.groupName(), null, e.nodeId(), firstRecord,
                GroupSecret.of(req.secretEpoch(), req.groupSecret()), addresses, req.handover());
        e.stores().open(req.group()).saveInfo(info);
        e.startReplica(info);
        LOG.infof("group %s (%s): registered by %s; this hub is its authority now", req.group(), req.groupName(), from);
        try {
            e.config().replicaListener().groupRegistered(req.group(), req.groupName(), from);
        } catch (RuntimeException ex) {
            LOG.warnf("group %s: the replica listener failed: %s", req.group(), Failure.describe(ex));
        }
        return new RegisterResponse(true, ErrorKind.UNSPECIFIED, "", firstRecord);
    }

    private static RegisterResponse refuse(SyncEngine e, ErrorKind kind, String message) {
        e.stats().refused(EngineStats.Refusal.REGISTRATION_REFUSED);
        LOG.infof("registration refused: %s", message);
        return RegisterResponse.refused(kind, message);
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Failure.describe(t) == null ? t.getClass().getSimpleName() : Failure.describe(t);
    }
}
