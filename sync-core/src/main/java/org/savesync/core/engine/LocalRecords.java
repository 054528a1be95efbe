package org.savesync.core.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.replication.SafePath;

/**
 * What this node has on disk per path, kept in step with the chunk index (which chunks can
 * be read where) and the conflict-copy index (the copies of each original). Runs on the
 * engine thread.
 */
final class LocalRecords {
    private final GroupReplica r;
    private final Map<SafePath, Set<SafePath>> copiesByOriginal = new HashMap<>();

    LocalRecords(GroupReplica r) {
        this.r = r;
    }

    /** Records what is on disk at a path, keeping the chunk index and the conflict-copy index in step. */
    void put(LocalRecord rec) {
        r.store.local(rec.path()).ifPresent(this::forgetCopy);
        if (!r.dismissed.isEmpty() && !rec.isConflictCopy()) {
            SafePath p = rec.path();
            if (r.dismissed.stream().anyMatch(c -> c.original().equals(p))) {
                r.engine.onEngineThread(() -> r.publisher.settleDismissed(p));
            }
        }
        r.store.putLocal(rec);
        r.chunkIndex.remove(rec.path());
        if (rec.blob() != null) {
            r.store.chunkList(rec.blob()).ifPresent(c -> r.chunkIndex.add(rec.path(), c));
        }
        if (rec.isConflictCopy()) {
            copiesByOriginal.computeIfAbsent(rec.conflict().original(), k -> new TreeSet<>()).add(rec.path());
        }
    }

    void remove(SafePath p) {
        r.store.local(p).ifPresent(this::forgetCopy);
        r.store.removeLocal(p);
        r.chunkIndex.remove(p);
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
}
