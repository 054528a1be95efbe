package org.savesync.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;
import org.savesync.core.engine.EngineStats.Refusal;
import org.savesync.core.folder.SafeFolder;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.Resolver;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.transfer.ChunkIndex;
import org.savesync.core.transfer.ChunkServer;
import org.savesync.core.transfer.Transfer;
import org.savesync.core.transfer.TransferHost;
import org.savesync.core.transfer.TransferManager;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * One group on this node: its membership, the replication of its index with the members'
 * links, and (through {@link Publisher} and {@link Materializer}) the folder on disk.
 * Every method runs on the engine thread.
 *
 * <p>Receiving entries: a batch of author X is applied only when we already know X up to
 * the batch's {@code afterSeq} (so a lost or reordered batch is simply sent again later).
 * Each entry is verified before it is stored: signature, group, author on the member list
 * with write rights, HLC at most {@link Hlc#MAX_FUTURE_SKEW} ahead, safe path, no ancestor
 * that is a symlink, and no second, different entry under an (author, seq) already held.
 * The first refused entry stops the batch and the knowledge vector stays just below it,
 * so a refusal never makes us skip a genuine entry that a member may send later.
 */
final class GroupReplica implements TransferHost {
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
    private final Set<Link> links = new LinkedHashSet<>();
    /** Per link and author: the seq we have sent entries up to, and when that started. */
    private final Map<NodeId, Map<NodeId, long[]>> sentTo = new HashMap<>();
    private final Map<SafePath, Set<SafePath>> copiesByOriginal = new HashMap<>();
    /** The knowledge each peer last reported (kept after it disconnects). */
    private final Map<NodeId, Map<NodeId, Long>> reported = new HashMap<>();
    /** The last entries this node published, for diagnostics. */
    final java.util.ArrayList<String> recentPublishes = new java.util.ArrayList<>();
    /** Conflict copies the user removed before this node had the winner: settled once it has. */
    final Set<LocalRecord.ConflictSource> dismissed = new java.util.HashSet<>();
    private GroupInfo info;
    private long lastAntiEntropy = System.nanoTime();
    private boolean dirSyncQueued;
    private volatile SignedMemberList members;

    GroupReplica(SyncEngine engine, IndexStore store, GroupInfo info) throws java.io.IOException {
        this.engine = engine;
        this.id = info.id();
        this.store = store;
        this.info = info;
        this.members = SignedMemberList.parse(info.memberList().signedBytes(), info.memberList().signature());
        this.chunkServer = new ChunkServer(this);
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
        this.transfers = new TransferManager(this);
        store.locals().forEach(this::putLocal);
    }

    /** After construction: look at the folder and bring it in line with the index. */
    void start() {
        if (stored != null) {
            stored.start();
            return;
        }
        ignored.refresh(); // before the first pass: ignored paths are never touched, not even once
        materializer.markAllDirty();
        publisher.scan();
    }

    GroupInfo info() {
        return info;
    }

    NodeId self() {
        return engine.nodeId();
    }

    SignedMemberList members() {
        return members;
    }

    boolean isMember(NodeId node) {
        return members.list().isMember(node);
    }

    @Override
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** Periodic work: anti-entropy (at its own interval) and transfer timeouts. */
    void tick() {
        long now = System.nanoTime();
        if (now - lastAntiEntropy >= engine.config().antiEntropyInterval().toNanos()) {
            lastAntiEntropy = now;
            broadcastKnowledge();
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

    // ------------------------------------------------------------------ TransferHost

    @Override
    public GroupId groupId() {
        return id;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public SafeFolder folder() {
        return folder;
    }

    @Override
    public IndexStore store() {
        return store;
    }

    @Override
    public ChunkIndex chunkIndex() {
        return chunkIndex;
    }

    @Override
    public EngineStats stats() {
        return engine.stats();
    }

    @Override
    public Executor engineThread() {
        return engine.engineExecutor();
    }

    @Override
    public Executor io() {
        return engine.io();
    }

    @Override
    public long newRequestId() {
        return engine.newRequestId(this);
    }

    @Override
    public void releaseRequest(long requestId) {
        engine.releaseRequest(requestId);
    }

    @Override
    public int chunkRequestsInFlight() {
        return engine.config().chunkRequestsInFlight();
    }

    @Override
    public Duration requestTimeout() {
        return engine.config().requestTimeout();
    }

    @Override
    public void transferComplete(Transfer t) {
        materializer.commit(t);
    }

    @Override
    public void requestScan() {
        materializer.requestScan();
    }

    @Override
    public void readingFrom(Set<SafePath> sources) {
        materializer.readingFrom(sources);
    }

    @Override
    public void doneReading(Set<SafePath> sources) {
        materializer.doneReading(sources);
    }

    // ------------------------------------------------------------------ links

    void linkReady(Link link) {
        if (!isMember(link.remote()) || !links.add(link)) {
            return;
        }
        link.send(memberListMessage());
        link.send(knowledgeMessage());
        sendPeerAddresses(link);
        peersChanged();
    }

    void linkGone(Link link) {
        sentTo.remove(link.remote());
        if (links.remove(link)) {
            peersChanged();
        }
    }

    void onMessage(Link link, Message m) {
        if (!isMember(link.remote())) {
            engine.stats().refused(Refusal.NOT_A_MEMBER);
            return;
        }
        switch (m) {
            case Message.MemberListUpdate u -> onMemberList(link, u.list(), u.handover());
            case Message.Knowledge k -> onKnowledge(link, k);
            case Message.EntryBatch b -> onEntries(b);
            case Message.BlobRequest r -> chunkServer.serveChunkList(link, r);
            case Message.ChunkRequest r -> {
                if (stored != null) {
                    stored.serveChunk(link, r);
                } else {
                    chunkServer.serveChunk(link, r);
                }
            }
            case Message.PeerAddresses p -> engine.learnPeers(this, p.peers());
            default -> LOG.debugf("group %s: ignoring %s from %s", id, m.getClass().getSimpleName(), link.remote());
        }
    }

    Message.Knowledge knowledgeMessage() {
        return new Message.Knowledge(id, store.knowledge().highest());
    }

    void broadcastKnowledge() {
        Message k = knowledgeMessage();
        for (Link l : links) {
            l.send(k);
        }
    }

    private void sendPeerAddresses(Link link) {
        List<Message.PeerAddress> peers = new ArrayList<>();
        peers.add(new Message.PeerAddress(self(), engine.listenAddresses()));
        info.peerAddresses().forEach((node, addrs) -> {
            if (isMember(node) && !node.equals(link.remote())) {
                peers.add(new Message.PeerAddress(node, addrs));
            }
        });
        link.send(new Message.PeerAddresses(id, peers));
    }

    /** Tells every other connected member where {@code node} can be reached (a new member, say). */
    void announceAddresses(NodeId node, List<String> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        Message m = new Message.PeerAddresses(id, List.of(new Message.PeerAddress(node, addresses)));
        for (Link l : links) {
            if (!l.remote().equals(node)) {
                l.send(m);
            }
        }
    }

    void rememberAddresses(NodeId node, List<String> addresses) {
        if (!addresses.isEmpty() && !addresses.equals(info.peerAddresses().get(node))) {
            info = info.withPeerAddresses(node, addresses);
            store.saveInfo(info);
        }
    }

    // ------------------------------------------------------------------ membership

    Message.MemberListUpdate memberListMessage() {
        return new Message.MemberListUpdate(id, info.memberList(), info.handover());
    }

    private void onMemberList(Link from, SignedRecord record, SignedRecord handover) {
        SignedMemberList list;
        try {
            list = SignedMemberList.parse(record.signedBytes(), record.signature());
        } catch (RuntimeException e) {
            engine.stats().refused(Refusal.BAD_MEMBER_LIST);
            LOG.warnf("group %s: refused a member list from %s: %s", id, from.remote(), e.getMessage());
            return;
        }
        if (!list.list().group().equals(id)) {
            engine.stats().refused(Refusal.BAD_MEMBER_LIST);
            LOG.warnf("group %s: refused a member list for group %s from %s", id, list.list().group(), from.remote());
            return;
        }
        if (list.list().version() <= members.list().version()) {
            return;
        }
        if (list.list().authority().equals(info.authority())) {
            applyMemberList(list);
            return;
        }
        // A new signer: only with a handover from the authority we know, naming that signer.
        String problem = handoverProblem(handover, list);
        if (problem != null) {
            engine.stats().refused(Refusal.BAD_MEMBER_LIST);
            LOG.warnf("group %s: refused a member list from %s signed by %s, the authority is %s: %s", id,
                    from.remote(), list.list().authority(), info.authority(), problem);
            return;
        }
        acceptHandover(handover, list);
    }

    /** Why {@code handover} does not make {@code list}'s signer our authority, or null when it does. */
    String handoverProblem(SignedRecord handover, SignedMemberList list) {
        if (handover == null) {
            return "no handover record";
        }
        org.savesync.core.membership.Handover h;
        try {
            h = org.savesync.core.membership.Handover.verify(handover);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (!h.group().equals(id) || !h.from().equals(info.authority()) || !h.to().equals(list.list().authority())) {
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
        LOG.infof("group %s: authority handed over from %s to %s", id, info.authority(), list.list().authority());
        info = info.handedOver(list.list().authority(), handover, info.memberList());
        applyMemberList(list);
    }

    /** Installs a newer member list (verified by the caller) and tells every peer. */
    void applyMemberList(SignedMemberList list) {
        members = list;
        info = info.withMemberList(new SignedRecord(list.signedBytes(), list.signature()));
        store.saveInfo(info);
        for (Link l : List.copyOf(links)) {
            if (!isMember(l.remote())) {
                links.remove(l);
                l.close("no longer a member of group " + id);
            } else {
                l.send(memberListMessage());
            }
        }
        engine.membershipChanged(this);
    }

    // ------------------------------------------------------------------ index exchange

    /** The knowledge {@code node} last reported for this group, or null when it never did. */
    Map<NodeId, Long> reportedBy(NodeId node) {
        return reported.get(node);
    }

    /** Whether {@code node}'s last reported knowledge covers everything this node holds. */
    boolean upToDate(NodeId node) {
        Map<NodeId, Long> theirs = reported.get(node);
        if (theirs == null) {
            return false;
        }
        for (var e : store.knowledge().highest().entrySet()) {
            if (theirs.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void onKnowledge(Link link, Message.Knowledge k) {
        reported.put(link.remote(), k.marks());
        KnowledgeVector mine = store.knowledge();
        // Keyed by peer, not link: two links to one peer (both dialled) do not double the traffic.
        Map<NodeId, long[]> sent = sentTo.computeIfAbsent(link.remote(), l -> new HashMap<>());
        long now = System.nanoTime();
        for (var e : mine.highest().entrySet()) {
            long theirs = k.marks().getOrDefault(e.getKey(), 0L);
            if (e.getValue() <= theirs) {
                continue;
            }
            // {upTo, sentAtNanos}: batches already on their way are not sent again unless
            // the peer has not caught up with them within an anti-entropy interval (lost).
            long[] s = sent.get(e.getKey());
            boolean inFlight = s != null && s[0] > theirs
                    && now - s[1] < engine.config().antiEntropyInterval().toNanos();
            long from = inFlight ? Math.max(theirs, s[0]) : theirs;
            if (from < e.getValue()) {
                sendBatches(link, e.getKey(), from, e.getValue());
                sent.put(e.getKey(), new long[] {e.getValue(), inFlight ? s[1] : now});
            }
        }
        boolean theyAreAhead = k.marks().entrySet().stream().anyMatch(e -> e.getValue() > mine.get(e.getKey()));
        if (theyAreAhead) {
            link.send(knowledgeMessage());
        }
    }

    private void sendBatches(Link link, NodeId author, long from, long upTo) {
        long cursor = from;
        while (cursor < upTo) {
            List<SignedEntry> page = store.entriesAfter(author, cursor, Protocol.MAX_ENTRIES_PER_BATCH);
            boolean last = page.size() < Protocol.MAX_ENTRIES_PER_BATCH
                    || page.get(page.size() - 1).entry().seq() >= upTo;
            long end = last ? upTo : page.get(page.size() - 1).entry().seq();
            List<SignedRecord> records = new ArrayList<>(page.size());
            for (SignedEntry e : page) {
                if (e.entry().seq() <= end) {
                    records.add(new SignedRecord(e.signedBytes(), e.signature()));
                }
            }
            link.send(new Message.EntryBatch(id, author, cursor, end, records));
            cursor = end;
        }
    }

    private void onEntries(Message.EntryBatch batch) {
        NodeId author = batch.author();
        long known = store.knowledge().get(author);
        if (batch.afterSeq() > known) {
            return; // a gap: an earlier batch was lost; anti-entropy asks again
        }
        List<Object> verified = engine.verifier().take(batch); // null: not pre-verified, parse here
        List<SignedEntry> accepted = new ArrayList<>();
        Map<SafePath, SignedEntry> acceptedByPath = new HashMap<>();
        long reached = batch.upToSeq();
        long previousSeq = batch.afterSeq();
        long maxHlc = 0;
        for (int i = 0; i < batch.entries().size(); i++) {
            SignedRecord r = batch.entries().get(i);
            java.util.OptionalLong peeked = SignedEntry.peekSeq(r.signedBytes());
            if (peeked.isPresent() && peeked.getAsLong() <= known && peeked.getAsLong() > previousSeq) {
                var held = store.entryBySeq(author, peeked.getAsLong());
                if (held.isEmpty() || java.util.Arrays.equals(held.get().signedBytes(), r.signedBytes())) {
                    previousSeq = peeked.getAsLong(); // already held (or compacted away): no need to verify again
                    continue;
                }
            }
            SignedEntry se;
            try {
                Object pre = verified == null ? null : verified.get(i);
                if (pre instanceof RuntimeException failed) {
                    throw failed;
                }
                se = pre instanceof SignedEntry ok ? ok : SignedEntry.parse(r.signedBytes(), r.signature());
            } catch (Exception e) {
                Refusal why = EntryChecks.classify(e);
                engine.stats().refused(why);
                LOG.warnf("group %s: refused an entry of %s: %s", id, author, e.getMessage());
                reached = Math.max(known, previousSeq);
                break;
            }
            Entry e = se.entry();
            Refusal why = EntryChecks.structural(e, id, batch, previousSeq);
            if (why == null && e.seq() <= known) {
                var held = store.entryBySeq(author, e.seq());
                if (held.isPresent() && !held.get().sameContentAs(se)) {
                    engine.stats().refused(Refusal.SEQ_REUSED);
                    LOG.warnf("group %s: %s signed two different entries with seq %d; keeping the first", id, author,
                            e.seq());
                }
                previousSeq = e.seq();
                continue;
            }
            if (why == null) {
                why = check(e, acceptedByPath);
            }
            if (why != null) {
                engine.stats().refused(why);
                LOG.warnf("group %s: refused entry %s/%d (%s): %s", id, author, e.seq(), e.path(), why);
                reached = Math.max(known, e.seq() - 1);
                break;
            }
            accepted.add(se);
            acceptedByPath.put(e.path(), se);
            maxHlc = Math.max(maxHlc, e.hlc());
            previousSeq = e.seq();
        }
        if (reached <= known && accepted.isEmpty()) {
            return;
        }
        store.store(accepted, Map.of(author, Math.max(known, reached)));
        engine.clock().observe(maxHlc);
        engine.stats().entriesReceived.add(accepted.size());
        if (stored != null) {
            stored.entriesStored(accepted);
        } else {
            for (SignedEntry se : accepted) {
                materializer.markDirty(se.entry().path());
            }
        }
        // Peers that lack these entries hear about them now rather than at the next tick.
        broadcastKnowledge();
    }

    /** Checks that need the index: membership, clock, symlinked ancestors. Null when the entry is fine. */
    private Refusal check(Entry e, Map<SafePath, SignedEntry> inBatch) {
        if (!members.list().canWrite(e.author())) {
            return Refusal.NOT_A_MEMBER;
        }
        if (Hlc.tooFarAhead(e.hlc(), engine.config().wallClock().getAsLong())) {
            return Refusal.HLC_IN_FUTURE;
        }
        for (SafePath a : e.path().ancestors()) {
            SignedEntry batchEntry = inBatch.get(a);
            if (batchEntry != null && batchEntry.entry().type() == EntryType.SYMLINK) {
                return Refusal.PATH_THROUGH_SYMLINK;
            }
            Entry w = winner(a);
            if (w != null && w.type() == EntryType.SYMLINK) {
                return Refusal.PATH_THROUGH_SYMLINK;
            }
            if (root != null && Files.isSymbolicLink(a.resolveIn(root))) {
                return Refusal.PATH_THROUGH_SYMLINK;
            }
        }
        return null;
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
        broadcastKnowledge();
        return signed;
    }

    /**
     * Where a losing version is shown: DESIGN's name, unless a real entry already lives
     * there (a lost version its author turned into a file, from the same second), then the
     * same name with {@code -<seq>} after the author, which is unique for that author. Both
     * depend only on the index, so converged replicas agree.
     */
    SafePath conflictCopyPath(SafePath original, Entry loser) {
        SafePath c = org.savesync.core.replication.ConflictNames.conflictCopyPath(original, loser.hlc(), loser.author());
        List<SignedEntry> there = store.entriesForPath(c);
        if (there.isEmpty() || there.stream().allMatch(e -> e.entry().type() == EntryType.DELETED)) {
            return c;
        }
        String name = c.name();
        String tag = loser.author().shortId(7);
        int at = name.lastIndexOf(tag) + tag.length();
        return c.withName(name.substring(0, at) + "-" + loser.seq() + name.substring(at));
    }

    // ------------------------------------------------------------------ local records

    /** Records what is on disk at a path, keeping the chunk index and the conflict-copy index in step. */
    void putLocal(LocalRecord rec) {
        store.local(rec.path()).ifPresent(this::forgetCopy);
        if (!dismissed.isEmpty() && !rec.isConflictCopy()) {
            SafePath p = rec.path();
            if (dismissed.stream().anyMatch(c -> c.original().equals(p))) {
                engine.onEngineThread(() -> publisher.settleDismissed(p));
            }
        }
        store.putLocal(rec);
        chunkIndex.remove(rec.path());
        if (rec.blob() != null) {
            store.chunkList(rec.blob()).ifPresent(c -> chunkIndex.add(rec.path(), c));
        }
        if (rec.isConflictCopy()) {
            copiesByOriginal.computeIfAbsent(rec.conflict().original(), k -> new TreeSet<>()).add(rec.path());
        }
    }

    void removeLocal(SafePath p) {
        store.local(p).ifPresent(this::forgetCopy);
        store.removeLocal(p);
        chunkIndex.remove(p);
    }

    /** The materialised conflict copies of an original path. */
    Set<SafePath> copiesOf(SafePath original) {
        return Set.copyOf(copiesByOriginal.getOrDefault(original, Set.of()));
    }

    private void forgetCopy(LocalRecord rec) {
        if (rec.isConflictCopy()) {
            Set<SafePath> s = copiesByOriginal.get(rec.conflict().original());
            if (s != null) {
                s.remove(rec.path());
            }
        }
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
                    LOG.warnf("group %s: cannot fsync directories: %s", id, e.getMessage());
                }
            });
        }
    }
}
