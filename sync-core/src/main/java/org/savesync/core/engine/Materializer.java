package org.savesync.core.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.folder.LocalChangeException;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.index.LocalRecord.ConflictSource;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;

import org.savesync.core.replication.Resolver;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.core.transfer.Transfer;

/**
 * Brings the folder in line with the resolved index, path by path. Each pass first
 * starts every create (directories, symlinks, file transfers, conflict copies); a transfer
 * that copies chunks from a file already on disk registers that file as being read, and a
 * delete or overwrite of it waits until the copy is done. So a rename, or a loser that
 * becomes a conflict copy, costs no chunk from the network and no byte is lost on the way.
 *
 * <p>Every write checks that the path still holds what the index thinks it holds (the
 * {@link LocalRecord}'s stat); when the user changed it meanwhile, the write is abandoned,
 * the folder rescanned, and the path planned again with the user's change published.
 *
 * <p>Paths this device ignores ({@link IgnoredPaths}) are left alone: nothing is created,
 * overwritten or deleted there and no transfer is started, whatever the index says. They
 * are planned again only when an entry arrives for them or the ignore rules change.
 */
final class Materializer {
    private static final Logger LOG = Logger.getLogger(Materializer.class);

    private final GroupReplica r;
    private final TreeSet<SafePath> dirty = new TreeSet<>();
    /** The paths {@link #plan} is in now (it plans an original from inside its copy's plan). */
    private final Set<SafePath> planning = new HashSet<>();
    private final java.util.Map<SafePath, Integer> readers = new java.util.HashMap<>();
    private final java.util.Map<SafePath, List<Runnable>> waiting = new java.util.HashMap<>();
    private boolean passScheduled;
    private boolean scanRequested;

    Materializer(GroupReplica r) {
        this.r = r;
    }

    void markDirty(SafePath p) {
        dirty.add(p);
        schedule();
    }

    void markAllDirty() {
        dirty.addAll(r.store.paths());
        r.store.locals().forEach(l -> dirty.add(l.path()));
        schedule();
    }

    /** The folder changed under us: rescan (the scan re-plans the paths it publishes). */
    void requestScan() {
        if (!scanRequested) {
            scanRequested = true;
            r.engine.onEngineThread(() -> {
                scanRequested = false;
                r.publisher.scan();
            });
        }
    }

    String describe() {
        return "dirty=" + dirty + " readers=" + readers + " waiting=" + waiting.keySet() + " pass-scheduled=" + passScheduled;
    }

    boolean idle() {
        return dirty.isEmpty() && !passScheduled && waiting.isEmpty();
    }

    private void schedule() {
        if (!passScheduled) {
            passScheduled = true;
            r.engine.onEngineThread(this::pass);
        }
    }

    private void pass() {
        passScheduled = false;
        List<SafePath> paths = new ArrayList<>(dirty);
        dirty.clear();
        List<SafePath> deletes = new ArrayList<>();
        for (SafePath p : paths) {
            try {
                plan(p, deletes);
            } catch (RuntimeException e) {
                LOG.warnf(e, "group %s: could not apply %s", r.id, p);
            }
        }
        if (!deletes.isEmpty()) {
            applyDeletes(deletes);
        }
    }

    /**
     * Transfers that copy chunks out of a file register it here while they read; a delete or
     * overwrite of that file waits until they are done. That is what makes a rename (and a
     * loser turned conflict copy) cost no network and lose nothing.
     */
    void readingFrom(Set<SafePath> sources) {
        for (SafePath p : sources) {
            readers.merge(p, 1, Integer::sum);
        }
    }

    void doneReading(Set<SafePath> sources) {
        for (SafePath p : sources) {
            Integer n = readers.merge(p, -1, Integer::sum);
            if (n != null && n <= 0) {
                readers.remove(p);
                List<Runnable> ready = waiting.remove(p);
                if (ready != null) {
                    ready.forEach(Runnable::run);
                }
            }
        }
    }

    /** Runs {@code action} now, or once no transfer is reading chunks from {@code p}. */
    private void whenNotRead(SafePath p, Runnable action) {
        if (readers.containsKey(p)) {
            waiting.computeIfAbsent(p, k -> new ArrayList<>()).add(action);
        } else {
            action.run();
        }
    }

    private void plan(SafePath p, List<SafePath> deletes) {
        if (!planning.add(p)) {
            // Already being planned further up (a path whose copy's name another path's entry
            // took, and so on, can lead back to it: names are the peers'): next pass.
            markDirty(p);
            return;
        }
        try {
            planOne(p, deletes);
        } finally {
            planning.remove(p);
        }
    }

    private void planOne(SafePath p, List<SafePath> deletes) {
        List<SignedEntry> entries = r.store.entriesForPath(p);
        LocalRecord rec = r.store.local(p).orElse(null);
        if (entries.isEmpty() || rec != null && rec.isConflictCopy() && onlyTombstones(entries)) {
            // Nothing, or only tombstones, at this name: a conflict copy here is its
            // original's business (planned there, moved when its name moved).
            if (rec != null && rec.isConflictCopy() && !copyStillWanted(rec) && !r.ignored.leavesAlone(p, null)) {
                deletes.add(p);
            }
            return;
        }
        if (entries.stream().allMatch(e -> e.entry().type() == EntryType.DELETED)) {
            r.transfers.cancelCopiesOf(p, Set.of());
        }
        Resolver.Resolution res = Resolver.resolve(entries.stream().map(SignedEntry::entry).toList());
        if (r.ignored.leavesAlone(p, res.winner().type())) {
            // Ignored here: neither the path nor its conflict copies are this folder's business.
            r.transfers.cancel(p);
            r.transfers.cancelCopiesOf(p, Set.of());
            return;
        }
        planWinner(p, res.winner(), rec, deletes);
        planCopies(p, res.conflictCopies(), deletes);
        if (!r.dismissed.isEmpty() && r.dismissed.stream().anyMatch(c -> c.original().equals(p))) {
            // The path changed: a conflict the user settled here may be ready to publish now.
            r.engine.onEngineThread(() -> r.publisher.settleDismissed(p));
        }
    }

    private void planWinner(SafePath p, Entry w, LocalRecord recorded, List<SafePath> deletes) {
        LocalRecord rec = recorded;
        Set<SafePath> lostVersionsOf = new HashSet<>();
        if (rec != null && rec.isConflictCopy()) {
            // A real entry now owns the name of a conflict copy (its author made the lost
            // version a file of its own): it is an ordinary file from here on. What the disk
            // shows is no version of this path: the copy's vector belongs to the original
            // path, and kept here it would let a local delete or edit supersede entries at
            // this path that this node never had (seed -5391382132059698250).
            rec = new LocalRecord(rec.path(), rec.stat(), rec.blob(), VersionVector.EMPTY, null);
            r.putLocal(rec);
            lostVersionsOf.add(recorded.conflict().original());
        }
        ConflictSource fetching = r.transfers.copyBeingFetched(p);
        if (fetching != null) {
            lostVersionsOf.add(fetching.original()); // the copy was not on disk yet (seed 0x7fffffffffffffff)
        }
        // The lost version needs a copy under another name. Planned now, before this entry's
        // fetch replaces the copy's: the new copy takes over the files the old one reads, so
        // the original is not overwritten by its winner in between.
        for (SafePath original : lostVersionsOf) {
            plan(original, deletes);
        }
        planWinnerOver(p, w, rec, deletes);
    }

    private void planWinnerOver(SafePath p, Entry w, LocalRecord rec, List<SafePath> deletes) {
        LocalFile.Kind have = rec == null ? null : rec.stat().kind();
        switch (w.type()) {
            case DELETED -> {
                r.transfers.cancel(p);
                if (rec != null) {
                    deletes.add(p);
                }
            }
            case DIRECTORY -> {
                r.transfers.cancel(p);
                if (have == LocalFile.Kind.DIRECTORY) {
                    if (!rec.version().equals(w.version())) {
                        r.putLocal(rec.withVersion(w.version()));
                    }
                } else if (have != null) {
                    deletes.add(p); // a directory beats a file: its content lives on as a conflict copy
                } else {
                    write(p, () -> {
                        r.folder.ensureDirectory(p.toString(), -1);
                        return null;
                    }, w, null);
                }
            }
            case SYMLINK -> {
                r.transfers.cancel(p);
                if (have == LocalFile.Kind.SYMLINK && w.symlinkTarget().equals(rec.stat().symlinkTarget())) {
                    if (!rec.version().equals(w.version())) {
                        r.putLocal(rec.withVersion(w.version()));
                    }
                } else if (have == LocalFile.Kind.DIRECTORY) {
                    deletes.add(p);
                } else {
                    write(p, () -> {
                        r.folder.commitSymlink(p.toString(), w.symlinkTarget(), rec == null ? null : rec.stat());
                        return null;
                    }, w, null);
                }
            }
            case FILE -> {
                if (have == LocalFile.Kind.FILE && w.blob().equals(rec.blob())) {
                    r.transfers.cancel(p);
                    if (rec.stat().mtimeNanos() != w.mtimeNanos() || rec.stat().executable() != w.executable()) {
                        write(p, () -> {
                            r.folder.setMetadata(p.toString(), w.mtimeNanos(), w.executable(), rec.stat());
                            return null;
                        }, w, null);
                    } else if (!rec.version().equals(w.version())) {
                        r.putLocal(rec.withVersion(w.version()));
                    }
                } else if (have == LocalFile.Kind.DIRECTORY) {
                    deletes.add(p);
                } else {
                    r.transfers.ensure(p, w, null);
                }
            }
        }
    }

    private void planCopies(SafePath p, List<Entry> losers, List<SafePath> deletes) {
        Set<SafePath> wanted = new HashSet<>();
        for (Entry l : losers) {
            SafePath c = r.conflictCopyPath(p, l);
            wanted.add(c);
            if (!r.store.entriesForPath(c).isEmpty()) {
                continue; // a real entry lives at that name
            }
            if (r.ignored.leavesAlone(c, l.type())) {
                continue;
            }
            LocalRecord rc = r.store.local(c).orElse(null);
            ConflictSource src = new ConflictSource(p, l.author(), l.seq());
            if (r.dismissed.contains(src)) {
                continue; // the user removed this copy here; settled once the winner is on disk
            }
            if (rc != null && (!rc.isConflictCopy() || src.equals(rc.conflict()))) {
                continue; // already materialised, or a file of the user's own sits there
            }
            if (l.type() == EntryType.FILE) {
                r.transfers.ensure(c, l, src);
            } else if (l.type() == EntryType.SYMLINK) {
                write(c, () -> {
                    r.folder.commitSymlink(c.toString(), l.symlinkTarget(), null);
                    return null;
                }, l, src);
            }
        }
        r.transfers.cancelCopiesOf(p, wanted);
        for (SafePath c : r.copiesOf(p)) {
            if (!wanted.contains(c) && !r.ignored.leavesAlone(c, null)) {
                deletes.add(c);
            }
        }
    }

    /** The copy's version is still a loser at its original, and still shown under this name. */
    private boolean copyStillWanted(LocalRecord rec) {
        Entry w = r.winner(rec.conflict().original());
        if (w == null) {
            return false;
        }
        List<SignedEntry> entries = r.store.entriesForPath(rec.conflict().original());
        return Resolver.resolve(entries.stream().map(SignedEntry::entry).toList()).conflictCopies().stream()
                .anyMatch(l -> l.author().equals(rec.conflict().author()) && l.seq() == rec.conflict().seq()
                        && r.conflictCopyPath(rec.conflict().original(), l).equals(rec.path()));
    }

    private static boolean onlyTombstones(List<SignedEntry> entries) {
        return entries.stream().allMatch(e -> e.entry().type() == EntryType.DELETED);
    }

    private interface FolderWrite {
        Void run() throws IOException;
    }

    /** One write into the folder under the folder lock, then the record of what is now on disk. */
    private void write(SafePath p, FolderWrite op, Entry e, ConflictSource src) {
        if (r.ignored.leavesAlone(p, e.type())) {
            return;
        }
        r.folderLock.lock();
        try {
            op.run();
            r.dirsToSync();
            Optional<LocalFile> now = r.statQuietly(p);
            if (now.isPresent()) {
                r.putLocal(new LocalRecord(p, now.get(), e.type() == EntryType.FILE ? e.blob() : null, e.version(), src));
                if (src != null) {
                    r.engine.stats().conflictCopies.increment();
                }
            }
        } catch (LocalChangeException ex) {
            LOG.debugf("group %s: %s changed locally; rescanning before applying %s", r.id, p, e.type());
            requestScan();
        } catch (IOException ex) {
            LOG.warnf("group %s: cannot write %s: %s", r.id, p, Failure.describe(ex));
            requestScan(); // something unexpected sits there: let the scan tell us what
        } finally {
            r.folderLock.unlock();
        }
    }

    /** Called by a finished transfer (engine thread): put the verified temp file in place. */
    void commit(Transfer t) {
        whenNotRead(t.target(), () -> commitNow(t));
    }

    private void commitNow(Transfer t) {
        SafePath p = t.target();
        Entry e = t.entry();
        if (!r.transfers.isCurrent(t)) {
            return; // superseded while waiting
        }
        if (r.ignored.leavesAlone(p, EntryType.FILE)) {
            r.transfers.finished(t, false); // ignored since it started: not planned again until the rules change
            return;
        }
        boolean wanted = t.conflict() == null
                ? Optional.ofNullable(r.winner(p)).map(w -> w.type() == EntryType.FILE && e.blob().equals(w.blob()))
                        .orElse(false)
                : r.winner(t.conflict().original()) != null;
        if (!wanted) {
            r.transfers.finished(t, false);
            markDirty(p);
            return;
        }
        LocalRecord rec = r.store.local(p).orElse(null);
        Entry current = t.conflict() == null ? r.winner(p) : e;
        r.folderLock.lock();
        try {
            boolean sealed = t.sealedAs(current.mtimeNanos(), current.executable());
            LocalFile now = sealed
                    ? r.folder.commitSealedFile(t.tempFile(), p.toString(), rec == null ? null : rec.stat())
                    : r.folder.commitFile(t.tempFile(), p.toString(), current.mtimeNanos(), current.executable(),
                            rec == null ? null : rec.stat());
            r.dirsToSync();
            r.putLocal(new LocalRecord(p, now, e.blob(), current.version(), t.conflict()));
            r.engine.stats().filesMaterialised.increment();
            if (sealed) {
                r.engine.stats().filesSealedAhead.increment();
            }
            if (t.conflict() != null) {
                r.engine.stats().conflictCopies.increment();
            }
            r.transfers.finished(t, true);
        } catch (LocalChangeException ex) {
            LOG.debugf("group %s: %s changed locally during its download; rescanning", r.id, p);
            r.transfers.finished(t, false);
            requestScan();
        } catch (IOException ex) {
            LOG.debugf("group %s: cannot put %s in place: %s", r.id, p, Failure.describe(ex));
            r.transfers.failed(t, "cannot put files in place: " + Transfer.why(ex)); // retried with backoff
        } finally {
            r.folderLock.unlock();
        }
        if (t.conflict() != null) {
            markDirty(t.conflict().original());
        }
    }

    private void applyDeletes(List<SafePath> paths) {
        // Files and links first, then directories deepest first, so a directory is empty by its turn.
        List<SafePath> ordered = new ArrayList<>(paths);
        ordered.sort(Comparator.comparingInt((SafePath x) -> isDirectoryRecord(x) ? 1 : 0)
                .thenComparing(Comparator.comparingInt((SafePath x) -> x.components().size()).reversed()));
        for (SafePath p : ordered) {
            whenNotRead(p, () -> deleteOne(p));
        }
    }

    private void deleteOne(SafePath p) {
        LocalRecord rec = r.store.local(p).orElse(null);
        if (rec == null || !stillToDelete(p, rec) || r.ignored.leavesAlone(p, null)) {
            return;
        }
        r.folderLock.lock();
        try {
            if (r.folder.delete(p.toString(), rec.stat())) {
                r.dirsToSync();
                r.removeLocal(p);
                p.parent().ifPresent(this::markDirty);
                if (r.winner(p) != null) {
                    markDirty(p); // a type change: create the new kind next
                }
            }
        } catch (LocalChangeException ex) {
            requestScan();
        } catch (IOException ex) {
            LOG.warnf("group %s: cannot delete %s: %s", r.id, p, Failure.describe(ex));
        } finally {
            r.folderLock.unlock();
        }
    }

    private boolean isDirectoryRecord(SafePath p) {
        return r.store.local(p).map(l -> l.stat().kind() == LocalFile.Kind.DIRECTORY).orElse(false);
    }

    /** Re-checks at delete time, since entries may have arrived after planning. */
    private boolean stillToDelete(SafePath p, LocalRecord rec) {
        if (rec.isConflictCopy()) {
            return !copyStillWanted(rec) && onlyTombstones(r.store.entriesForPath(p));
        }
        Entry w = r.winner(p);
        if (w == null) {
            return false;
        }
        boolean isDir = rec.stat().kind() == LocalFile.Kind.DIRECTORY;
        return switch (w.type()) {
            case DELETED -> true;
            case DIRECTORY -> !isDir;
            case FILE, SYMLINK -> isDir;
        };
    }
}
