package org.savesync.core.engine;

import java.util.List;
import org.savesync.core.index.IndexStore;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.Resolver;
import org.savesync.core.replication.SignedEntry;

/**
 * Tells a full replica's {@link ReplicaListener} about conflicts as entries arrive: an entry that,
 * with the others held for its path, makes the {@link Resolver} keep a conflict copy (it is the
 * winner beside a copy, or a copy itself). Each entry is stored once, so each conflict is told
 * once per entry that takes part in it. Reads the index only when someone listens.
 */
final class ConflictSpotter {
    private ConflictSpotter() {
    }

    static void entriesStored(GroupId group, IndexStore index, List<SignedEntry> entries, ReplicaListener listener) {
        if (listener == ReplicaListener.NONE) {
            return;
        }
        for (SignedEntry se : entries) {
            Entry e = se.entry();
            if (e.type() != EntryType.FILE && e.type() != EntryType.SYMLINK) {
                continue;
            }
            List<Entry> candidates = index.entriesForPath(e.path()).stream().map(SignedEntry::entry).toList();
            if (candidates.size() < 2) {
                continue;
            }
            Resolver.Resolution res = Resolver.resolve(candidates);
            if (res.conflictCopies().isEmpty()) {
                continue;
            }
            if (res.winner().equals(e)) {
                listener.conflict(group, e.path(), e.author(), res.conflictCopies().getLast().author());
            } else if (res.conflictCopies().contains(e)) {
                listener.conflict(group, e.path(), e.author(), res.winner().author());
            }
        }
    }
}
