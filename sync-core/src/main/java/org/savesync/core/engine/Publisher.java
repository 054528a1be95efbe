package org.savesync.core.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.chunking.Chunker;
import org.savesync.core.chunking.FileChunks;
import org.savesync.core.failure.Failure;
import org.savesync.core.folder.FolderScanner;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.folder.ScanResult;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;

/**
 * Turns what changed in the folder into entries. A scan walks the folder (never following
 * symlinks), hashes new and changed files on the I/O threads, and publishes:
 * <ul>
 *   <li>a changed path with the version vector of what was on disk raised by one for this
 *       node, so it supersedes exactly the version the user saw;</li>
 *   <li>a new path with an empty base vector, unless the index already holds the same
 *       content there (then it is adopted: joining a folder with the same files costs
 *       nothing); different content becomes concurrent and so a conflict;</li>
 *   <li>a vanished path as a deletion;</li>
 *   <li>a materialised conflict copy is never published; when the user deletes or edits
 *       one, the conflict is resolved: the original path is re-published with a vector that
 *       also covers the losing version, so every replica drops that copy.</li>
 * </ul>
 * A file whose stat changed between hashing and publishing is left for the next scan: half
 * written files are never published.
 *
 * <p>Renames are recognised without reading a byte: a file at a new path with the inode, size
 * and mtime of a file that vanished in the same scan has that file's content, so it reuses
 * its blob and chunk list (an edit moves the mtime, so an edited-then-moved file is hashed).
 * The new entry and the deletion go out in one batch, creates first, so receivers build the
 * new path from the bytes they already have. A moved directory costs no hashing either.
 *
 * <p>Paths the folder's {@code .savesyncignore} ignores, and that file itself, are left out
 * (see {@link IgnoredPaths}).
 */
final class Publisher {
    private static final Logger LOG = Logger.getLogger(Publisher.class);

    private final GroupReplica r;
    private CompletableFuture<Void> running;
    private CompletableFuture<Void> queued;
    /** The ignore rules changed in the running scan: re-plan every path once it is done. */
    private boolean rulesChanged;

    Publisher(GroupReplica r) {
        this.r = r;
    }

    boolean busy() {
        return running != null;
    }

    /** Scans the folder; completes when its changes are published. Scans requested meanwhile are merged into one. */
    CompletableFuture<Void> scan() {
        if (running != null) {
            if (queued == null) {
                queued = new CompletableFuture<>();
            }
            return queued;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        running = done;
        runScan().whenComplete((v, err) -> r.engine.onEngineThread(() -> {
            if (err != null) {
                LOG.warnf(err, "group %s: scan of %s failed", r.id, r.root);
            }
            if (rulesChanged) {
                rulesChanged = false;
                r.materializer.markAllDirty(); // newly ignored paths are left alone, un-ignored ones synced
            }
            running = null;
            done.complete(null);
            CompletableFuture<Void> next = queued;
            queued = null;
            if (next != null) {
                scan().whenComplete((v2, e2) -> next.complete(null));
            }
        }));
        return done;
    }

    private record Hashed(SafePath path, LocalFile stat, FileChunks chunks) {
    }

    private CompletableFuture<Void> runScan() {
        rulesChanged |= r.ignored.refresh();
        ScanResult scan;
        try {
            scan = FolderScanner.scan(r.root, r.ignored.scanFilter());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<SafePath, LocalFile> seen = new HashMap<>();
        List<EntryDraft> drafts = new ArrayList<>();
        Map<SafePath, LocalFile> toHash = new LinkedHashMap<>();
        for (LocalFile f : scan.entries()) {
            SafePath p;
            try {
                p = SafePath.normalize(f.path());
            } catch (RuntimeException e) {
                LOG.debugf("group %s: not syncing %s: %s", r.id, f.path(), Failure.describe(e));
                continue;
            }
            seen.put(p, f);
            Optional<LocalRecord> rec = r.store.local(p);
            if (rec.isPresent() && unchanged(rec.get().stat(), f)) {
                continue;
            }
            switch (f.kind()) {
                case FILE -> toHash.put(p, f);
                case DIRECTORY -> directory(p, f, rec.orElse(null), drafts);
                case SYMLINK -> symlink(p, f, rec.orElse(null), drafts);
            }
        }
        List<LocalRecord> gone = new ArrayList<>();
        Map<Long, List<LocalRecord>> vanished = new HashMap<>();
        for (LocalRecord rec : List.copyOf(r.store.locals())) {
            boolean absent = !seen.containsKey(rec.path());
            if (absent && rec.stat().isFile() && rec.blob() != null) {
                vanished.computeIfAbsent(rec.stat().inode(), k -> new ArrayList<>()).add(rec);
            }
            if (r.ignored.excludes(rec)) {
                // Ignored now: no longer tracked here, and not deleted anywhere else either.
                LOG.debugf("group %s: %s is ignored now; no longer syncing it", r.id, rec.path());
                r.removeLocal(rec.path());
            } else if (absent && !scan.isCoveredBySkipped(rec.path().toString())) {
                // Absent because unreadable or unsupported is not a deletion.
                gone.add(rec);
            }
        }
        List<CompletableFuture<Hashed>> hashing = new ArrayList<>();
        toHash.forEach((p, f) -> {
            Hashed moved = renamed(p, f, vanished);
            hashing.add(moved != null ? CompletableFuture.completedFuture(moved)
                    : CompletableFuture.supplyAsync(() -> hash(p, f), r.engine.io()));
        });
        return CompletableFuture.allOf(hashing.toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> finish(hashing, gone, drafts), r.engine.engineExecutor());
    }

    /**
     * The content of a file at a new path that is a file this node tracked elsewhere, moved:
     * same inode, size and mtime as a record whose path vanished in this scan. An edit moves
     * the mtime (and usually the size), so only an untouched move matches; several candidates
     * (hard links) must agree. Null when there is no such record or its chunk list is not known,
     * and the file is hashed.
     */
    private Hashed renamed(SafePath p, LocalFile f, Map<Long, List<LocalRecord>> vanished) {
        BlobId blob = null;
        for (LocalRecord v : vanished.getOrDefault(f.inode(), List.of())) {
            if (v.stat().size() != f.size() || v.stat().mtimeNanos() != f.mtimeNanos()) {
                continue;
            }
            if (blob != null && !blob.equals(v.blob())) {
                return null; // two different contents claim this inode: trust neither
            }
            blob = v.blob();
        }
        if (blob == null) {
            return null;
        }
        Optional<List<ChunkRef>> chunks = blob.equals(BlobId.EMPTY) ? Optional.of(List.of()) : r.store.chunkList(blob);
        if (chunks.isEmpty()) {
            return null;
        }
        try {
            FileChunks c = new FileChunks(f.size(), chunks.get(), blob);
            r.engine.stats().renamesDetected.increment();
            return new Hashed(p, f, c);
        } catch (IllegalArgumentException e) {
            return null; // the chunk list does not add up to this size: hash to be sure
        }
    }

    private Hashed hash(SafePath p, LocalFile f) {
        try {
            FileChunks c = Chunker.chunkFile(p.resolveIn(r.root));
            r.engine.stats().bytesHashed.add(c.size());
            return new Hashed(p, f, c);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("group %s: could not hash %s (%s); next scan tries again", r.id, p, Failure.describe(e));
            return null;
        }
    }

    private void finish(List<CompletableFuture<Hashed>> hashing, List<LocalRecord> gone, List<EntryDraft> drafts) {
        for (CompletableFuture<Hashed> h : hashing) {
            Hashed x = h.join();
            if (x == null) {
                continue;
            }
            Optional<LocalFile> now = r.statQuietly(x.path());
            if (now.isEmpty() || !unchanged(x.stat(), now.get()) || x.chunks().size() != x.stat().size()) {
                r.materializer.requestScan(); // still being written: publish it once it settles
                continue;
            }
            Optional<LocalRecord> rec = r.store.local(x.path());
            if (rec.isPresent() && unchanged(rec.get().stat(), x.stat())) {
                continue; // the engine itself wrote this file while it was being hashed
            }
            file(x, rec.orElse(null), drafts);
        }
        for (LocalRecord rec : gone) {
            if (r.statQuietly(rec.path()).isPresent()) {
                continue; // reappeared (or the engine wrote it) meanwhile
            }
            if (r.store.local(rec.path()).map(cur -> !cur.equals(rec)).orElse(true)) {
                continue; // the record changed meanwhile: the engine owns this path now
            }
            r.removeLocal(rec.path());
            if (rec.isConflictCopy()) {
                resolve(rec.conflict(), drafts);
            } else {
                preserveOwnLoser(rec.path(), rec, drafts);
                drafts.add(EntryDraft.deleted(rec.path(), rec.version().increment(r.self())));
            }
        }
        r.publish(drafts);
    }

    static boolean unchanged(LocalFile a, LocalFile b) {
        return a.sameStat(b) && a.executable() == b.executable()
                && java.util.Objects.equals(a.symlinkTarget(), b.symlinkTarget());
    }

    private void file(Hashed x, LocalRecord rec, List<EntryDraft> drafts) {
        SafePath p = x.path();
        LocalFile f = x.stat();
        BlobId blob = x.chunks().blobId();
        r.store.putChunkList(blob, x.chunks().chunks());
        VersionVector base;
        if (rec != null && rec.isConflictCopy()) {
            resolve(rec.conflict(), drafts); // the user edited a conflict copy: it becomes a file of its own
            base = VersionVector.EMPTY;
        } else if (rec != null) {
            if (rec.stat().kind() == LocalFile.Kind.FILE && blob.equals(rec.blob())
                    && rec.stat().mtimeNanos() == f.mtimeNanos() && rec.stat().executable() == f.executable()) {
                r.putLocal(rec.withStat(f)); // same content and metadata (e.g. a new inode)
                return;
            }
            base = rec.version();
        } else {
            Entry w = r.winner(p);
            if (w != null && w.type() == EntryType.FILE && blob.equals(w.blob()) && w.executable() == f.executable()) {
                adopt(p, f, blob, w);
                return;
            }
            base = baseForNewPath(w);
        }
        base = withOwnCounter(p, base);
        preserveOwnLoser(p, rec, drafts);
        r.putLocal(new LocalRecord(p, f, blob, base.increment(r.self()), null));
        drafts.add(new EntryDraft(p, EntryType.FILE, blob, f.size(), f.mtimeNanos(), f.executable(), null,
                base.increment(r.self())));
    }

    private void directory(SafePath p, LocalFile f, LocalRecord rec, List<EntryDraft> drafts) {
        if (rec != null && !rec.isConflictCopy() && rec.stat().kind() == LocalFile.Kind.DIRECTORY) {
            r.putLocal(rec.withStat(f)); // a directory's mtime moves with its children
            return;
        }
        VersionVector base = VersionVector.EMPTY;
        if (rec != null) {
            base = rec.version();
        } else {
            Entry w = r.winner(p);
            if (w != null && w.type() == EntryType.DIRECTORY) {
                adopt(p, f, null, w);
                return;
            }
            base = baseForNewPath(w);
        }
        VersionVector v = withOwnCounter(p, base).increment(r.self());
        preserveOwnLoser(p, rec, drafts);
        r.putLocal(new LocalRecord(p, f, null, v, null));
        drafts.add(new EntryDraft(p, EntryType.DIRECTORY, null, 0, f.mtimeNanos(), false, null, v));
    }

    private void symlink(SafePath p, LocalFile f, LocalRecord rec, List<EntryDraft> drafts) {
        if (f.symlinkTarget() == null || f.symlinkTarget().isEmpty()) {
            return;
        }
        VersionVector base = VersionVector.EMPTY;
        if (rec != null && rec.isConflictCopy()) {
            resolve(rec.conflict(), drafts);
        } else if (rec != null) {
            base = rec.version();
        } else {
            Entry w = r.winner(p);
            if (w != null && w.type() == EntryType.SYMLINK && f.symlinkTarget().equals(w.symlinkTarget())) {
                adopt(p, f, null, w);
                return;
            }
            base = baseForNewPath(w);
        }
        VersionVector v = withOwnCounter(p, base).increment(r.self());
        preserveOwnLoser(p, rec, drafts);
        r.putLocal(new LocalRecord(p, f, null, v, null));
        drafts.add(new EntryDraft(p, EntryType.SYMLINK, null, 0, f.mtimeNanos(), false, f.symlinkTarget(), v));
    }

    /**
     * The index keeps one entry per (author, path), so a new entry of ours at {@code p}
     * replaces our previous one there. When that previous one is not what our disk showed
     * (typically a losing version shown as a conflict copy: our concurrent write lost to
     * another member's), replacing it would silently drop it: the user changed something
     * else, not that version. So first that version becomes a file of its own, at its
     * conflict copy's name. Only its author does this, and only then, so replicas never
     * republish copies on their own and every replica still derives the same names.
     */
    private void preserveOwnLoser(SafePath p, LocalRecord sawOnDisk, List<EntryDraft> drafts) {
        Optional<SignedEntry> mine = r.store.entry(r.self(), p);
        if (mine.isEmpty()) {
            return;
        }
        Entry l = mine.get().entry();
        if (l.type() != EntryType.FILE && l.type() != EntryType.SYMLINK) {
            return;
        }
        if (sawOnDisk != null && !sawOnDisk.isConflictCopy() && sawOnDisk.version().dominatesOrEquals(l.version())) {
            // The user saw our version at p, or one that followed it (a later edit, the
            // settling of a conflict), and changed that: superseded, nothing to keep.
            // Preserving it anyway would show an outdated version again, and when the
            // change just overwrote its bytes no replica could ever fetch them.
            return;
        }
        // Loser or not: when our disk does not show it, the user never saw it (it may have
        // lost, been replaced here by the winner, and won again since), so a new entry of
        // ours must not swallow it. Only when its bytes are here can we keep it.
        if (l.type() == EntryType.FILE && !availableHere(l)) {
            return;
        }
        SafePath c = r.conflictCopyPath(p, l);
        if (!r.store.entriesForPath(c).isEmpty()) {
            return;
        }
        VersionVector v = withOwnCounter(c, VersionVector.EMPTY).increment(r.self());
        drafts.add(new EntryDraft(c, l.type(), l.blob(), l.size(), l.mtimeNanos(), l.executable(), l.symlinkTarget(),
                v));
    }

    /**
     * The base vector of something new at a path this node has nothing recorded at. When the
     * index says the path is deleted, the empty disk showed exactly that deletion, so the new
     * version follows it (and everything it superseded stays superseded). Otherwise another
     * member's version exists that this node has not put on disk: the new one is concurrent
     * with it, and a conflict keeps both.
     */
    private static VersionVector baseForNewPath(Entry winner) {
        return winner != null && winner.type() == EntryType.DELETED ? winner.version() : VersionVector.EMPTY;
    }

    private boolean availableHere(Entry l) {
        if (l.blob().equals(org.savesync.core.chunking.BlobId.EMPTY)) {
            return true;
        }
        return r.store.chunkList(l.blob())
                .map(list -> list.stream().allMatch(c -> r.chunkIndex.contains(c.hash()))).orElse(false);
    }

    /**
     * What this node published at a path before stays seen: a new entry of ours starts from
     * our previous entry's vector too. Otherwise replacing it (one entry per author and path)
     * would forget what it had superseded (a delete we made, say) and bring it back to life.
     * Other members' versions we never had on disk stay out, so they stay concurrent.
     */
    private VersionVector withOwnCounter(SafePath p, VersionVector base) {
        return r.store.entry(r.self(), p).map(e -> base.merge(e.entry().version())).orElse(base);
    }

    /** The disk already holds the index's current version: record it, and let the materialiser fix metadata. */
    private void adopt(SafePath p, LocalFile f, BlobId blob, Entry winner) {
        r.putLocal(new LocalRecord(p, f, blob, winner.version(), null));
        r.materializer.markDirty(p);
    }

    /**
     * The user deleted, moved or changed a conflict copy: the conflict is settled. The
     * original path is published again, same content as on disk, with a vector that covers
     * both the winner and the losing version, so every replica drops that copy. When the
     * winner is not on disk here yet, the settlement waits (the copy stays dismissed here)
     * until it is: a node only ever publishes content it has.
     */
    void resolve(LocalRecord.ConflictSource c, List<EntryDraft> drafts) {
        Entry w = r.winner(c.original());
        Optional<SignedEntry> loser = r.store.entry(c.author(), c.original());
        if (w == null || w.type() == EntryType.DELETED || loser.isEmpty() || loser.get().entry().seq() != c.seq()) {
            r.dismissed.remove(c);
            return;
        }
        Optional<LocalRecord> o = r.store.local(c.original());
        if (o.isEmpty() || o.get().isConflictCopy() || !o.get().version().equals(w.version())) {
            r.dismissed.add(c);
            return;
        }
        r.dismissed.remove(c);
        if (!c.author().equals(r.self())) {
            // Settling another member's copy must not drop a lost version of our own there.
            preserveOwnLoser(c.original(), o.get(), drafts);
        }
        VersionVector v = withOwnCounter(c.original(), w.version().merge(loser.get().entry().version()))
                .increment(r.self());
        r.putLocal(o.get().withVersion(v));
        drafts.add(new EntryDraft(c.original(), w.type(), w.blob(), w.size(), w.mtimeNanos(), w.executable(),
                w.symlinkTarget(), v));
    }

    /** The winner of {@code original} is on disk now: settle the conflicts the user dismissed meanwhile. */
    void settleDismissed(SafePath original) {
        List<EntryDraft> drafts = new ArrayList<>();
        for (LocalRecord.ConflictSource c : List.copyOf(r.dismissed)) {
            if (c.original().equals(original)) {
                resolve(c, drafts);
            }
        }
        r.publish(drafts);
    }
}
