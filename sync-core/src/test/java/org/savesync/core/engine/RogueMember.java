package org.savesync.core.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Ticket;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.core.transport.Alpn;
import org.savesync.core.transport.RogueConnection;
import org.savesync.core.transport.RoguePeer;

/**
 * A hostile member of a group, for attack tests: it joins through the real join sub-protocol
 * with a real ticket (so it is on the member list and holds the group secret), then speaks the
 * member protocol over real QUIC with whatever messages a test hands it. Helpers sign entries
 * with its own key, so its forgeries are exactly what a compromised member could send.
 */
final class RogueMember implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final RoguePeer peer;
    final GroupId group;
    final Message.JoinResponse joined;

    private RogueMember(RoguePeer peer, GroupId group, Message.JoinResponse joined) {
        this.peer = peer;
        this.group = group;
        this.joined = joined;
    }

    /** Joins {@code ticket}'s group as a new member with a fresh key. */
    static RogueMember join(Ticket ticket) throws IOException {
        return join(ticket, NodeKey.generate());
    }

    static RogueMember join(Ticket ticket, NodeKey key) throws IOException {
        return join(ticket, RoguePeer.withKey(key));
    }

    /** Joins with its own flow-control windows of {@code window} bytes per stream (tiny: it can barely be sent to). */
    static RogueMember join(Ticket ticket, NodeKey key, long window) throws IOException {
        return join(ticket, RoguePeer.stingy(key, window));
    }

    private static RogueMember join(Ticket ticket, RoguePeer peer) throws IOException {
        InetSocketAddress authority = address(ticket.addresses().get(0));
        try (RogueConnection c = peer.dial(authority, Alpn.JOIN, TIMEOUT)) {
            c.sendJoin(new Message.JoinRequest(Protocol.MAGIC, Protocol.VERSION, ticket.group(), ticket.token().text(),
                    "rogue", List.of()));
            Message.JoinResponse r = c.await(Message.JoinResponse.class, TIMEOUT);
            if (!r.accepted()) {
                peer.close();
                throw new IOException("the rogue's join was refused: " + r.error());
            }
            return new RogueMember(peer, ticket.group(), r);
        }
    }

    static InetSocketAddress address(String hostPort) {
        return QuicNetwork.parseAddress(hostPort);
    }

    NodeId id() {
        return peer.nodeId();
    }

    NodeKey key() {
        return peer.key();
    }

    /** A member link to the engine at {@code address}, hello sent. */
    RogueConnection link(String address) throws IOException {
        RogueConnection c = peer.dial(address(address), Alpn.MEMBER, TIMEOUT);
        c.send(new Message.Hello(Protocol.MAGIC, Protocol.VERSION, "rogue", List.of()));
        prove(c);
        return c;
    }

    /** The group secret the rogue got when it joined. */
    org.savesync.core.membership.GroupSecret secret() {
        return org.savesync.core.membership.GroupSecret.of(joined.secretEpoch(), joined.groupSecret());
    }

    /** Proves the group secret it joined with on {@code c} (waits for the engine's Hello and its nonce). */
    void prove(RogueConnection c) {
        Message.Hello theirs = c.await(Message.Hello.class, TIMEOUT);
        c.send(LinkProofs.proof(secret(), group, id(), c.remoteNode(), theirs.nonce()));
    }

    /** A file entry of this rogue, signed by it. */
    SignedRecord file(long seq, String path) {
        return file(seq, path, BlobId.EMPTY, 0);
    }

    /** A file entry of this rogue with any blob id and size, signed by it. */
    SignedRecord file(long seq, String path, BlobId blob, long size) {
        Entry e = Entry.file(group, id(), seq, SafePath.of(path), blob, size, 0, false,
                Hlc.of(System.currentTimeMillis(), 0), VersionVector.EMPTY.increment(id()));
        return record(SignedEntry.sign(e, key()));
    }

    static SignedRecord record(SignedEntry se) {
        return new SignedRecord(se.signedBytes(), se.signature());
    }

    /** A batch of entries about {@code author}, with any bounds. */
    Message.EntryBatch batch(NodeId author, long afterSeq, long upToSeq, List<SignedRecord> entries) {
        return new Message.EntryBatch(group, author, afterSeq, upToSeq, new ArrayList<>(entries));
    }

    @Override
    public void close() {
        peer.close();
    }
}
