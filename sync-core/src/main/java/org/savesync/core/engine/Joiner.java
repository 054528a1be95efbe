package org.savesync.core.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;

/**
 * The joiner's side: dial the ticket's authority on the join ALPN (each address in turn),
 * present the invite token, check that the member list we get back is signed by the
 * authority the ticket names and lists us, then start syncing the group.
 */
final class Joiner {
    private final SyncEngine e;
    private final Ticket ticket;
    private final Path folder;

    Joiner(SyncEngine e, Ticket ticket, Path folder) {
        this.e = e;
        this.ticket = ticket;
        this.folder = folder.toAbsolutePath().normalize();
    }

    CompletableFuture<GroupId> run() {
        if (ticket.expiresAtMillis() < e.config().wallClock().getAsLong()) {
            return CompletableFuture.failedFuture(new JoinException(Message.ErrorKind.INVITE_REFUSED,
                    "this ticket expired; ask for a new one"));
        }
        Message.JoinRequest req = new Message.JoinRequest(Protocol.MAGIC, Protocol.VERSION, ticket.group(),
                ticket.token().text(), e.config().nodeName(), e.listenAddresses());
        return attempt(req, 0, null).thenCompose(this::accept);
    }

    private CompletableFuture<Message.JoinResponse> attempt(Message.JoinRequest req, int i, Throwable last) {
        List<String> addrs = ticket.addresses();
        if (i >= addrs.size()) {
            // One address: its failure says it all (which address, what to check); more: the last one's.
            String why = last == null ? "the ticket names no address" : rootMessage(last);
            return CompletableFuture.failedFuture(new JoinException("cannot reach the group's authority ("
                    + ticket.authority().shortId(7) + ")" + (addrs.size() > 1 ? " at any of " + addrs + "; last: "
                    : ": ") + why, last));
        }
        return e.network().ask(addrs.get(i), ticket.authority(), req)
                .thenApply(m -> {
                    if (m instanceof Message.JoinResponse r) {
                        return r;
                    }
                    throw new JoinException(Message.ErrorKind.BAD_MESSAGE, "the authority answered a join with "
                            + m.getClass().getSimpleName());
                })
                .handle((resp, err) -> err == null ? CompletableFuture.completedFuture(resp) : attempt(req, i + 1, err))
                .thenCompose(f -> f);
    }

    private static String rootMessage(Throwable t) {
        while ((t instanceof CompletionException || t.getCause() != null) && t.getCause() != null) {
            t = t.getCause();
        }
        return Failure.describe(t);
    }

    private CompletableFuture<GroupId> accept(Message.JoinResponse resp) {
        if (!resp.accepted()) {
            return CompletableFuture.failedFuture(new JoinException(resp.errorKind(),
                    "the group's authority refused the join: " + resp.error()));
        }
        SignedMemberList list;
        try {
            list = SignedMemberList.parse(resp.memberList().signedBytes(), resp.memberList().signature());
        } catch (Exception ex) {
            return CompletableFuture.failedFuture(new JoinException("the authority sent an invalid member list", ex));
        }
        if (!list.list().authority().equals(ticket.authority()) || !list.list().group().equals(ticket.group())
                || !list.list().isMember(e.nodeId()) || resp.groupSecret() == null) {
            return CompletableFuture.failedFuture(new JoinException(Message.ErrorKind.BAD_MESSAGE,
                    "the authority's answer does not match the ticket (wrong group, signer, or we are not listed)"));
        }
        Map<NodeId, List<String>> addresses = new HashMap<>();
        for (Message.PeerAddress p : resp.peers()) {
            if (!p.node().equals(e.nodeId())) {
                addresses.put(p.node(), p.addresses());
            }
        }
        addresses.putIfAbsent(ticket.authority(), ticket.addresses());
        GroupInfo info = new GroupInfo(ticket.group(), resp.groupName(), folder, ticket.authority(),
                resp.memberList(), GroupSecret.of(resp.secretEpoch(), resp.groupSecret()), addresses);
        return e.call(() -> {
            if (e.replicas().stream().anyMatch(r -> r.id.equals(ticket.group()))) {
                return ticket.group(); // already a member here: joining again is harmless
            }
            e.stores().open(ticket.group()).saveInfo(info);
            e.startReplica(info);
            return ticket.group();
        });
    }
}
