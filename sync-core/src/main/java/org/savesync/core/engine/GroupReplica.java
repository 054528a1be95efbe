package org.savesync.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.protocol.Link;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.folder.SafeFolder;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.Resolver;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.transfer.ChunkIndex;
import org.savesync.core.transfer.ChunkServer;
import org.savesync.core.transfer.TransferHost;
import org.savesync.core.transfer.TransferManager;

/**
 * One group on this node: its links to the members, and the parts that do the work, each
 * its own concept: {@link GroupMembership} (the member list and who may replace it),
 * {@link IndexExchange} (knowledge and entry batches sent), {@link EntryIntake} (entries
 * received: verified, then stored), {@link PeerAddressBook} (where members are reached),
 * {@link LocalRecords} (what is on disk), and (through {@link Publisher} and
 * {@link Materializer}, or {@link StoredContent} on a full replica) the folder or the
 * chunk store. The transfer package sees it through {@link GroupTransferHost}. Every method
 * runs on the engine thread.
 */
final class GroupReplica {
    private static final Logger LOG = Logger.getLogger(GroupReplica.class);

    final SyncEngine engine;
    final GroupId id;
    final IndexStore store;
    final SafeFolder folder;
    final Path root;
    final ReentrantLock folderLock = new ReentrantLock();
    final ChunkIndex chunkIndex = new ChunkIndex();
    final Publisher publisher;
    final Materializer materializer;
    final TransferManager transfers;
    final ChunkServer chunkServer;
    final IgnoredPaths ignored;
    /** Non-null on a full replica without a folder (the hub); then the folder parts above are null. */
    final StoredContent stored;
    final GroupMembership membership;
    final IndexExchange exchange;
    final EntryIntake intake;
    final PeerAddressBook addresses;
    final LocalRecords locals;
    final LinkProofs proofs;
    /** Links of members that proved the group secret's epoch (see {@link LinkProofs}). */
    private final Set<Link> links = new LinkedHashSet<>();
    /** The last entries this node published, for diagnostics. */
    final java.util.ArrayList<String> recentPublishes = new java.util.ArrayList<>();
    /** Conflict copies the user removed before this node had the winner: settled once it has. */
    final Set<LocalRecord.ConflictSource> dismissed = new java.util.HashSet<>();
    private GroupInfo info;
    private long lastAntiEntropy = System.nanoTime();
    private boolean dirSyncQueued;
    /** {@link #catchUp} ran: the folder was scanned and every path re-planned at least once. */
    private boolean caughtUp;

    GroupReplica(SyncEngine engine, IndexStore store, GroupInfo info) throws java.io.IOException {
        this.engine = engine;
        this.id = info.id();
        this.store = store;
        this.info = info;
        this.membership = new GroupMembership(this,
                SignedMemberList.parse(info.memberList().signedBytes(), info.memberList().signature()));
        this.exchange = new IndexExchange(this);
        this.intake = new EntryIntake(this);
        this.addresses = new PeerAddressBook(this);
        this.locals = new LocalRecords(this);
        this.proofs = new LinkProofs(this);
        TransferHost host = new GroupTransferHost(this);
        this.chunkServer = new ChunkServer(host);
        if (engine.config().fullReplica()) {
            this.root = null;
            this.folder = null;
            this.ignored = null;
            this.publisher = null;
            this.materializer = null;
            this.transfers = null;
            this.stored = new StoredContent(this, store, engine.config().chunkStore());
            return;
        }
        this.stored = null;
        this.root = info.folder();
        this.folder = new SafeFolder(root);
        this.ignored = new IgnoredPaths(this);
        this.publisher = new Publisher(this);
        this.materializer = new Materializer(this);
        this.transfers = new TransferManager(host);
        store.locals().forEach(this::putLocal);
    }

    /**
     * After construction: read the ignore rules and, with {@code catchUpNow}, look at the folder
     * and bring it in line with the index; otherwise {@link #catchUp} does that later.
     */
    void start(boolean catchUpNow) {
        if (stored != null) {
            stored.start();
            return;
        }
        ignored.refresh(); // before the first pass: ignored paths are never touched, not even once
        if (catchUpNow) {
            catchUp();
        }
    }

    /**
     * The first pass over the folder (once; later calls only return the scan): every path
     * re-planned and the folder scanned, which finds what changed while the node was down.
     */
    CompletableFuture<Void> catchUp() {
        if (stored != null || caughtUp) {
            return CompletableFuture.completedFuture(null);
        }
        caughtUp = true;
        materializer.markAllDirty();
        return publisher.scan();
    }

    GroupInfo info() {
        return info;
    }

    /** Replaces the group's info in memory (the caller saves it when it should last). */
    void setInfo(GroupInfo info) {
        this.info = info;
    }

    NodeId self() {
        return engine.nodeId();
    }

    SignedMemberList members() {
        return membership.members();
    }

    boolean isMember(NodeId node) {
        return membership.isMember(node);
    }

    /** The group's links to its members, each after its Hello. */
    List<Link> links() {
        return List.copyOf(links);
    }

    /** Periodic work: anti-entropy (at its own interval) and transfer timeouts. */
    void tick() {
        long now = System.nanoTime();
        if (now - lastAntiEntropy >= engine.config().antiEntropyInterval().toNanos()) {
            lastAntiEntropy = now;
            exchange.broadcastKnowledge();
        }
        if (stored != null) {
            stored.tick();
        } else {
            transfers.tick();
        }
    }

    void stop() {
        for (Link l : List.copyOf(links)) {
            linkGone(l);
        }
        proofs.unprovenLinks().forEach(this::linkGone);
        if (stored != null) {
            stored.stop();
        } else {
            transfers.cancelAll();
        }
    }

    boolean idle() {
        if (stored != null) {
            return stored.idle();
        }
        return transfers.idle() && materializer.idle() && !publisher.busy();
    }

    /** Files being transferred (or blobs being fetched, on a full replica), their bytes, and bytes verified. */
    TransferManager.Progress progress() {
        return stored != null ? stored.progress() : transfers.progress();
    }

    /** Why this group's transfers cannot progress now; empty when they can (or on a full replica). */
    String transferProblem() {
        return stored != null ? "" : transfers.problem();
    }

    void onChunkList(Link from, Message.BlobChunks m) {
        if (stored != null) {
            stored.onChunkList(from, m);
        } else {
            transfers.onChunkList(from, m);
        }
    }

    void onChunkData(Link from, Message.ChunkData m) {
        if (stored != null) {
            stored.onChunkData(from, m);
        } else {
            transfers.onChunkData(from, m);
        }
    }

    private void peersChanged() {
        if (stored != null) {
            stored.peersChanged();
        } else {
            transfers.peersChanged();
        }
    }

    // ------------------------------------------------------------------ links

    /** A member's link is up: the member list goes out, then both sides prove the group secret. */
    void linkReady(Link link) {
        if (!isMember(link.remote()) || links.contains(link) || proofs.isUnproven(link)) {
            return;
        }
        link.send(membership.memberListMessage());
        proofs.linkUp(link);
    }

    /** The member on {@code link} proved our epoch of the group secret: the link carries the group from now on. */
    void linkProven(Link link) {
        if (!isMember(link.remote()) || !links.add(link)) {
            return;
        }
        link.send(exchange.knowledgeMessage());
        addresses.sendPeerAddresses(link);
        peersChanged();
    }

    /** The group secret changed: every proven link must prove the new epoch; returns them. */
    List<Link> unproveLinks() {
        List<Link> was = List.copyOf(links);
        links.clear();
        was.forEach(exchange::linkGone);
        if (!was.isEmpty()) {
            peersChanged();
        }
        return was;
    }

    void linkGone(Link link) {
        exchange.linkGone(link);
        proofs.linkGone(link);
        if (links.remove(link)) {
            peersChanged();
        }
    }

    void onMessage(Link link, Message m) {
        if (!isMember(link.remote())) {
            engine.stats().refused(Refusal.NOT_A_MEMBER);
            return;
        }
        if (!links.contains(link)) {
            linkReady(link); // a member since the link came up: it starts here
            if (!(m instanceof Message.MemberListUpdate || m instanceof Message.GroupProof
                    || m instanceof Message.GroupSecretUpdate)) {
                engine.stats().refused(Refusal.UNPROVEN_LINK);
                return;
            }
        }
        switch (m) {
            case Message.GroupProof p -> proofs.onProof(link, p);
            case Message.GroupSecretUpdate u -> proofs.onSecretUpdate(link, u);
            case Message.MemberListUpdate u -> membership.onMemberList(link, u.list(), u.handover());
            case Message.Knowledge k -> exchange.onKnowledge(link, k);
            case Message.EntryBatch b -> intake.onEntries(b);
            case Message.BlobRequest r -> chunkServer.serveChunkList(link, r);
            case Message.ChunkRequest r ->
                    engine.serving().submit(link, r, stored != null ? stored::serveChunk : chunkServer::serveChunk);
            case Message.PeerAddresses p -> addresses.learn(link.remote(), p.peers());
            default -> LOG.debugf("group %s: ignoring %s from %s", id, m.getClass().getSimpleName(), link.remote());
        }
    }

    /**
     * Every link hears of the new list; those whose peer is no longer a member leave the group
     * at once and are closed {@link org.savesync.core.protocol.Protocol#REMOVED_FAREWELL} later,
     * so the list telling the peer it was removed gets there first.
     */
    void membersChanged() {
        java.util.Set<Link> all = new LinkedHashSet<>(links);
        all.addAll(proofs.unprovenLinks());
        for (Link l : all) {
            l.send(membership.memberListMessage());
            if (!isMember(l.remote())) {
                linkGone(l);
                engine.scheduleOnEngineThread(() -> l.close("no longer a member of group " + id),
                        org.savesync.core.protocol.Protocol.REMOVED_FAREWELL.toMillis());
            }
        }
        // A peer that became a member while its link was up (a hub this group was just handed to) starts on it now.
        engine.peerLinks().greeted().forEach(this::linkReady);
    }

    /** Entries were received and stored: the folder (or the chunk store) follows them. */
    void entriesStored(List<SignedEntry> accepted) {
        if (stored != null) {
            stored.entriesStored(accepted);
        } else {
            for (SignedEntry se : accepted) {
                materializer.markDirty(se.entry().path());
            }
        }
    }

    /** The knowledge {@code node} last reported for this group, or null when it never did. */
    Map<NodeId, Long> reportedBy(NodeId node) {
        return exchange.reportedBy(node);
    }

    boolean upToDate(NodeId node) {
        return exchange.upToDate(node);
    }

    void rememberAddresses(NodeId node, List<String> addrs) {
        addresses.rememberAddresses(node, addrs);
    }

    void announceAddresses(NodeId node, List<String> addrs) {
        addresses.announceAddresses(node, addrs);
    }

    String handoverProblem(SignedRecord handover, SignedMemberList list) {
        return membership.handoverProblem(handover, list);
    }

    void acceptHandover(SignedRecord handover, SignedMemberList list) {
        membership.acceptHandover(handover, list);
    }

    void applyMemberList(SignedMemberList list) {
        membership.applyMemberList(list);
    }

    /** The current version of a path, or null when no entry exists. */
    Entry winner(SafePath p) {
        List<SignedEntry> all = store.entriesForPath(p);
        if (all.isEmpty()) {
            return null;
        }
        return Resolver.resolve(all.stream().map(SignedEntry::entry).toList()).winner();
    }

    // ------------------------------------------------------------------ publishing

    /** Signs, stores and announces entries this node authored. Seqs are assigned here, in order. */
    List<SignedEntry> publish(List<EntryDraft> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        if (stored != null) {
            throw new IllegalStateException("a full replica publishes no changes of its own");
        }
        long seq = Math.max(store.knowledge().get(self()), 0);
        if (seq > Long.MAX_VALUE - changes.size()) {
            // Only this node's own signed entries raise its mark, so only 2^63 edits of its own get here.
            throw new IllegalStateException("the seq counter of this node in group " + id + " is exhausted at " + seq
                    + "; this node cannot publish more changes to the group");
        }
        List<SignedEntry> signed = new ArrayList<>(changes.size());
        for (EntryDraft d : changes) {
            signed.add(SignedEntry.sign(d.toEntry(id, self(), ++seq, engine.clock().now()), engine.key()));
            if (recentPublishes.size() > 200) {
                recentPublishes.removeFirst();
            }
            recentPublishes.add("#" + seq + " " + d.path() + " " + d.type()
                    + (d.blob() == null ? "" : " " + d.blob().shortString()) + " v=" + d.version());
        }
        // Persisted before anything is sent: a seq is never reused, even after a crash.
        store.store(signed, Map.of(self(), seq));
        engine.stats().entriesPublished.add(signed.size());
        for (SignedEntry se : signed) {
            materializer.markDirty(se.entry().path());
        }
        exchange.broadcastKnowledge();
        return signed;
    }

    /**
     * Where a losing version is shown: DESIGN's name, unless an entry already exists there
     * (a lost version its author turned into a file, from the same second, or the tombstone
     * of one), then the same name with {@code -<seq>} after the author, which is unique for
     * that author. A tombstone takes the name too: a path with entries is planned by its
     * own winner, which would delete (or never create) a copy shown under a deleted name
     * (seed -8727458821807586478). Both depend only on the index, so converged replicas agree.
     */
    SafePath conflictCopyPath(SafePath original, Entry loser) {
        SafePath c = org.savesync.core.replication.ConflictNames.conflictCopyPath(original, loser.hlc(), loser.author());
        if (store.entriesForPath(c).isEmpty()) {
            return c;
        }
        String name = c.name();
        String tag = loser.author().shortId(7);
        int at = name.lastIndexOf(tag) + tag.length();
        return c.withName(name.substring(0, at) + "-" + loser.seq() + name.substring(at));
    }

    // ------------------------------------------------------------------ local records

    /** Records what is on disk at a path (see {@link LocalRecords#put}). */
    void putLocal(LocalRecord rec) {
        locals.put(rec);
    }

    void removeLocal(SafePath p) {
        locals.remove(p);
    }

    /** The materialised conflict copies of an original path. */
    Set<SafePath> copiesOf(SafePath original) {
        return locals.copiesOf(original);
    }

    /** The path's stat on disk now (never following a symlink); empty when absent or unreadable. */
    java.util.Optional<org.savesync.core.folder.LocalFile> statQuietly(SafePath p) {
        try {
            return org.savesync.core.folder.FolderScanner.stat(root, p.toString());
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * A rename or delete happened in the folder: its directory is fsynced once, after every
     * event already queued on the engine thread, so a burst of commits shares one sync per
     * directory.
     */
    void dirsToSync() {
        if (!dirSyncQueued) {
            dirSyncQueued = true;
            engine.onEngineThread(() -> {
                dirSyncQueued = false;
                try {
                    folder.syncDirectories();
                } catch (java.io.IOException e) {
                    LOG.warnf("group %s: cannot fsync directories: %s", id, Failure.describe(e));
                }
            });
        }
    }
}
