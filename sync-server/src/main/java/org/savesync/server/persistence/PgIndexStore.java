package org.savesync.server.persistence;

import org.savesync.core.failure.Failure;
import org.savesync.core.index.RecordCodec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.CachedIndexStore;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.index.ReplicaIndex;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.server.persistence.entity.GroupEntity;

/**
 * One group's replica index on PostgreSQL (tables in {@code db/migration/V1__hub.sql}).
 *
 * <p>Write-through cache: {@link #load} reads the group's current rows into an
 * {@link InMemoryIndexStore}, which serves every read (the engine asks many times per received
 * entry, from its own thread) and so defines the semantics. Each mutation works out what would
 * change, writes exactly that in one new transaction ({@code QuarkusTransaction.requiringNew()})
 * committed before the method returns, and only then applies it in memory: a failed write
 * throws {@link HubStorageException} and leaves both unchanged. A mutation that changes nothing
 * does not touch the database.
 *
 * <p>Unlike the agent's index, a replaced entry is not deleted: its row is marked superseded
 * and kept for backup; reads never return it.
 *
 * <p>The two writes of a blob fetch, {@link #putChunkListLater} and {@link #completeLater}, do
 * not make the engine wait: they go to {@link GroupCommit}, which writes them with other groups'
 * rows in one transaction per batch, and are applied in memory only once committed (from the
 * committing thread, without the store's lock: the in-memory store and the sets are
 * thread-safe).
 *
 * <p>Mutations are serialised on the store; reads go to the in-memory store (synchronised
 * there), and {@link #chunkList} and {@link #isComplete} read without locking, since transfers
 * ask from their own threads.
 */
public final class PgIndexStore extends CachedIndexStore implements ReplicaIndex {
    /** From this many entries on, their signatures are checked on all cores when loading. */
    private static final int PARALLEL_PARSE_MIN = 256;

    private final GroupId group;
    private final GroupRows rows;
    private final VersionRows versionRows;
    private final GroupCommit commit;
    private final ChunkGuard guard;
    private final Set<BlobId> complete = ConcurrentHashMap.newKeySet();
    /** Blobs with a stored chunk list (the in-memory store cannot list them). */
    private final Set<BlobId> listed = ConcurrentHashMap.newKeySet();
    private volatile boolean removed;

    private PgIndexStore(GroupId group, GroupCommit commit, ChunkGuard guard) {
        this.group = group;
        this.guard = guard;
        this.rows = new GroupRows(group);
        this.versionRows = new VersionRows(group);
        this.commit = commit;
    }

    /**
     * Opens {@code group}'s index, loading all its current rows; an unknown group gives an empty
     * store. Batched writes go through {@code commit}; every chunk list written passes
     * {@code guard} first.
     */
    static PgIndexStore load(GroupId group, GroupCommit commit, ChunkGuard guard) {
        PgIndexStore s = new PgIndexStore(group, commit, guard);
        GroupRows.Stored stored = s.inTransaction("load", s.rows::read);
        s.fill(stored);
        return s;
    }

    private void fill(GroupRows.Stored stored) {
        if (stored.info() != null) {
            memory.saveInfo(decode("group info", () -> toInfo(stored.info())));
        }
        // SignedEntry.parse re-checks structure and signature, so a damaged row fails here and not in the engine.
        List<Object[]> entryRows = stored.entries();
        List<SignedEntry> entries = (entryRows.size() < PARALLEL_PARSE_MIN ? entryRows.stream() : entryRows.parallelStream())
                .map(r -> decode("entry", () -> SignedEntry.parse((byte[]) r[0], (byte[]) r[1]))).toList();
        Map<NodeId, Long> knowledge = new HashMap<>();
        for (Object[] r : stored.knowledge()) {
            knowledge.put(decode("knowledge", () -> NodeId.of((byte[]) r[0])), (Long) r[1]);
        }
        memory.store(entries, knowledge);
        for (Object[] r : stored.locals()) {
            memory.putLocal(decode("local record", () -> RecordCodec.decodeLocal(SafePath.of((String) r[0]), (byte[]) r[1])));
        }
        for (Object[] r : stored.chunkLists()) {
            BlobId blob = decode("chunk list", () -> BlobId.fromBytes((byte[]) r[0]));
            memory.putChunkList(blob, decode("chunk list", () -> RecordCodec.decodeChunks((byte[]) r[1])));
            listed.add(blob);
            if ((Boolean) r[2]) {
                complete.add(blob);
            }
        }
    }

    private GroupInfo toInfo(GroupEntity g) {
        GroupSecret secret = g.secretEpoch == null ? null : GroupSecret.of(g.secretEpoch, g.secret);
        return new GroupInfo(group, g.name, g.folder == null ? null : Path.of(g.folder), NodeId.of(g.authority),
                new SignedRecord(g.memberList, g.memberListSig), secret, RecordCodec.decodePeers(g.peerAddresses),
                g.handover == null ? null : new SignedRecord(g.handover, g.handoverSig));
    }

    public GroupId group() {
        return group;
    }

    /**
     * Every chunk named by a chunk list of this group (of current and superseded versions
     * alike), each once, with its length.
     */
    public Map<ChunkHash, Integer> referencedChunks() {
        Map<ChunkHash, Integer> out = new HashMap<>();
        for (BlobId blob : listed) {
            memory.chunkList(blob).ifPresent(list -> list.forEach(c -> out.put(c.hash(), c.length())));
        }
        return out;
    }

    @Override
    public Set<BlobId> completeBlobs() {
        return Set.copyOf(complete);
    }

    /** The empty blob is always complete: it has no chunks. */
    @Override
    public boolean isComplete(BlobId blob) {
        return BlobId.EMPTY.equals(blob) || complete.contains(blob);
    }

    /**
     * Blobs of the current (not superseded) FILE entries whose chunk list is not marked
     * complete, each once, at most {@code limit}; the empty blob is never among them.
     */
    @Override
    public List<BlobId> incompleteBlobs(int limit) {
        Set<BlobId> out = new LinkedHashSet<>();
        for (SafePath p : memory.paths()) {
            for (SignedEntry e : memory.entriesForPath(p)) {
                Entry x = e.entry();
                if (x.type() == EntryType.FILE && !isComplete(x.blob())) {
                    out.add(x.blob());
                    if (out.size() >= limit) {
                        return List.copyOf(out);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    // -------------------------------------------------------------------- writes (through)

    /**
     * Saves the group's info; {@code folder} may be null (the hub). A member list version not
     * saved before is also recorded in {@code member_list_versions} and rewrites {@code members}.
     *
     * @throws org.savesync.core.membership.InvalidMemberListException when the member list's signed
     *         bytes do not parse or verify (nothing is saved)
     */
    @Override
    public synchronized void saveInfo(GroupInfo info) {
        checkNotRemoved();
        SignedRecord list = info.memberList();
        Optional<GroupInfo> before = memory.info();
        boolean newList = before.isEmpty() || !sameRecord(before.get().memberList(), list);
        SignedMemberList parsed = newList ? SignedMemberList.parse(list.signedBytes(), list.signature()) : null;
        inTransaction("save group info", () -> {
            rows.saveInfo(info, parsed);
            return null;
        });
        memory.saveInfo(info);
    }

    private static boolean sameRecord(SignedRecord a, SignedRecord b) {
        return Arrays.equals(a.signedBytes(), b.signedBytes()) && Arrays.equals(a.signature(), b.signature());
    }

    @Override
    public synchronized void store(List<SignedEntry> entries, Map<NodeId, Long> marks) {
        checkNotRemoved();
        // What the reference store would keep: per (author, path) the highest seq above what is held.
        StoreDelta delta = delta(entries, marks);
        if (delta.isEmpty()) {
            return;
        }
        Map<AuthorPath, SignedEntry> accepted = delta.accepted();
        Map<NodeId, Long> raised = delta.raised();
        KnowledgeVector before = delta.before();
        Map<NodeId, List<Long>> replaced = new HashMap<>();
        for (AuthorPath key : accepted.keySet()) {
            memory.entry(key.author(), key.path()).ifPresent(old ->
                    replaced.computeIfAbsent(key.author(), a -> new ArrayList<>()).add(old.entry().seq()));
        }
        inTransaction("store " + accepted.size() + " entries", () -> {
            rows.storeEntries(accepted.values(), replaced, raised, before.highest().keySet());
            return null;
        });
        memory.store(List.copyOf(accepted.values()), raised);
    }

    @Override
    public synchronized void putChunkList(BlobId blob, List<ChunkRef> chunks) {
        checkNotRemoved();
        guard.listed(chunks);
        Optional<List<ChunkRef>> held = memory.chunkList(blob);
        if (held.filter(chunks::equals).isPresent()) {
            return; // a blob id names its chunk list: already stored
        }
        inTransaction("store the chunk list of blob " + blob.shortString(), () -> {
            rows.putChunkList(blob, chunks, held.isPresent());
            return null;
        });
        memory.putChunkList(blob, chunks);
        listed.add(blob);
    }

    /**
     * Records that every chunk of {@code blob} is durably in the chunk store.
     *
     * @throws IllegalStateException when the group holds no chunk list for the blob (store it first)
     */
    @Override
    public synchronized void markComplete(BlobId blob) {
        checkNotRemoved();
        if (isComplete(blob)) {
            return;
        }
        if (memory.chunkList(blob).isEmpty()) {
            throw new IllegalStateException("blob " + blob + " of group " + group + " has no chunk list; store its"
                    + " chunk list (putChunkList) before marking it complete");
        }
        inTransaction("mark blob " + blob.shortString() + " complete", () -> rows.markComplete(blob));
        complete.add(blob);
    }

    /** Queues the chunk list for the next batch; applied in memory once committed. */
    @Override
    public synchronized CompletionStage<Void> putChunkListLater(BlobId blob, List<ChunkRef> chunks) {
        if (removed) {
            return CompletableFuture.failedFuture(removedFailure());
        }
        guard.listed(chunks);
        if (memory.chunkList(blob).filter(chunks::equals).isPresent()) {
            return CompletableFuture.completedFuture(null);
        }
        List<ChunkRef> copy = List.copyOf(chunks);
        return commit.submit(new GroupCommit.ChunkListRow(group, blob, RecordCodec.encodeChunks(copy), false))
                .thenRun(() -> {
                    memory.putChunkList(blob, copy);
                    listed.add(blob);
                });
    }

    /**
     * Queues the chunk list with the completion mark for the next batch; {@link #isComplete}
     * says so once it is committed.
     */
    @Override
    public synchronized CompletionStage<Void> completeLater(BlobId blob, List<ChunkRef> chunks) {
        if (removed) {
            return CompletableFuture.failedFuture(removedFailure());
        }
        guard.listed(chunks);
        if (isComplete(blob)) {
            return CompletableFuture.completedFuture(null);
        }
        List<ChunkRef> copy = List.copyOf(chunks);
        return commit.submit(new GroupCommit.ChunkListRow(group, blob, RecordCodec.encodeChunks(copy), true))
                .thenRun(() -> {
                    if (memory.chunkList(blob).filter(copy::equals).isEmpty()) {
                        memory.putChunkList(blob, copy);
                    }
                    listed.add(blob); // before complete: whoever sees it complete finds its list
                    complete.add(blob);
                });
    }

    // -------------------------------------------------------------------- versions (backup)

    /** Every version the group holds, ranked per path newest first (a snapshot; rows stored meanwhile may be missing). */
    public List<StoredVersion> versions() {
        return inTransaction("read the versions", versionRows::all);
    }

    /** Every version of {@code path}, newest first; empty when the group never held the path. */
    public List<StoredVersion> versions(SafePath path) {
        return inTransaction("read the versions of a path", () -> versionRows.ofPath(path.toString()));
    }

    /** A version as it stood at some time: the signed entry and when the hub received it. */
    public record VersionAt(SignedEntry signed, Instant receivedAt) {
    }

    /**
     * Per path and author, the newest version the hub had received at {@code at} among those it
     * still keeps (what retention removed is not there): the candidates of each path's current
     * version at that time.
     */
    public List<VersionAt> versionsAt(Instant at) {
        List<Object[]> rows = inTransaction("read the versions at a time", () -> versionRows.newestPerAuthorAt(at));
        return (rows.size() < PARALLEL_PARSE_MIN ? rows.stream() : rows.parallelStream())
                .map(r -> new VersionAt(decode("entry", () -> SignedEntry.parse((byte[]) r[0], (byte[]) r[1])),
                        VersionRows.micros(r[2]))).toList();
    }

    /** One version, current or kept for backup; empty when the group holds none by that author and seq. */
    public Optional<SignedEntry> version(NodeId author, long seq) {
        Object[] r = inTransaction("read a version", () -> versionRows.signed(author, seq));
        return r == null ? Optional.empty()
                : Optional.of(decode("entry", () -> SignedEntry.parse((byte[]) r[0], (byte[]) r[1])));
    }

    /**
     * What {@link #prune} removed: versions, and blobs whose chunk lists went with the last
     * version naming them (their chunks are then referenced by this group no more).
     */
    public record Pruned(int versions, List<BlobId> blobsDropped) {
    }

    /**
     * Deletes the listed versions ({@code seqs}: author → seqs) that are superseded, and the chunk
     * lists that no remaining version names, in one transaction; then forgets those lists here.
     * {@code alsoInTransaction} runs in that transaction once the rows are deleted (the audit
     * event: both commit or neither). A current version is never deleted, whatever the caller lists. Serialised with {@link
     * #store}: an entry that names a dropped blob again is stored either before the prune (and
     * keeps the list) or after it, and then finds the blob incomplete, so the engine fetches it.
     */
    public synchronized Pruned prune(Map<NodeId, ? extends java.util.Collection<Long>> seqs,
                                     java.util.function.Consumer<Pruned> alsoInTransaction) {
        checkNotRemoved();
        Pruned p = inTransaction("prune versions", () -> {
            int n = seqs.isEmpty() ? 0 : versionRows.deleteSuperseded(seqs);
            Pruned done = new Pruned(n, versionRows.deleteUnreferencedLists());
            alsoInTransaction.accept(done);
            return done;
        });
        for (BlobId b : p.blobsDropped()) {
            complete.remove(b);
            listed.remove(b);
            memory.removeChunkList(b);
        }
        return p;
    }

    @Override
    public synchronized void putLocal(LocalRecord record) {
        checkNotRemoved();
        Optional<LocalRecord> held = memory.local(record.path());
        if (held.filter(record::equals).isPresent()) {
            return;
        }
        inTransaction("store a local record", () -> {
            rows.putLocal(record, held.isPresent());
            return null;
        });
        memory.putLocal(record);
    }

    @Override
    public synchronized void removeLocal(SafePath path) {
        checkNotRemoved();
        if (memory.local(path).isEmpty()) {
            return;
        }
        inTransaction("remove a local record", () -> {
            rows.removeLocal(path);
            return null;
        });
        memory.removeLocal(path);
    }

    /** Deletes every row of the group (backups of superseded entries included) and refuses later writes. */
    synchronized void removeAll() {
        // Batched writes of the group queued before this call must not land after the delete.
        commit.flush().join();
        deleteRows(group);
        removed = true;
    }

    static void deleteRows(GroupId group) {
        GroupRows rows = new GroupRows(group);
        try {
            QuarkusTransaction.requiringNew().run(rows::deleteAll);
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(group, "remove", e);
        }
    }

    // -------------------------------------------------------------------- plumbing

    private void checkNotRemoved() {
        if (removed) {
            throw removedFailure();
        }
    }

    private IllegalStateException removedFailure() {
        return new IllegalStateException("the index of group " + group + " was removed (the hub left the group);"
                + " open the group again from the store provider to write to it");
    }

    private <T> T inTransaction(String operation, Supplier<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            if (HubStorageException.isConstraintViolation(e)) {
                throw HubStorageException.refused(group, operation, "An entry's (author, seq) is already held with"
                        + " other content: a second, different entry under one seq must be refused before it is stored", e);
            }
            throw HubStorageException.databaseFailure(group, operation, e);
        }
    }

    private <T> T decode(String what, Supplier<T> decoder) {
        try {
            return decoder.get();
        } catch (RuntimeException e) {
            throw new HubStorageException(group, "load", "a stored " + what + " does not decode (" + Failure.describe(e)
                    + "): the hub's database is damaged or was written by a newer hub; restore it from a backup", e);
        }
    }

}
