package org.savesync.server.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.Resolver;
import org.savesync.server.persistence.PgIndexStore;

/**
 * A group's folder as it was at a given time, from the versions the hub keeps: for each path,
 * the version that was current then, chosen from each author's newest version received by that
 * time exactly as the members choose ({@link Resolver}); paths deleted then are left out. A
 * version retention has removed cannot be in it: such a path shows an older kept version only if
 * another author's is newer, else it is missing (retention removes a path's oldest versions first).
 */
public final class Snapshot {
    private Snapshot() {
    }

    /** A path in the snapshot: its version then, and when the hub received that version. */
    public record File(Entry entry, Instant receivedAt) {
    }

    /** The snapshot of {@code store}'s group at {@code at}, by path. */
    public static List<File> at(PgIndexStore store, Instant at) {
        Map<String, List<PgIndexStore.VersionAt>> byPath = new TreeMap<>();
        for (PgIndexStore.VersionAt v : store.versionsAt(at)) {
            byPath.computeIfAbsent(v.signed().entry().path().toString(), p -> new ArrayList<>()).add(v);
        }
        List<File> out = new ArrayList<>();
        for (List<PgIndexStore.VersionAt> candidates : byPath.values()) {
            Entry winner = Resolver.resolve(candidates.stream().map(v -> v.signed().entry()).toList()).winner();
            if (winner.type() == EntryType.DELETED) {
                continue;
            }
            Instant received = candidates.stream().filter(v -> v.signed().entry().equals(winner)).findFirst()
                    .map(PgIndexStore.VersionAt::receivedAt).orElseThrow();
            out.add(new File(winner, received));
        }
        return out;
    }
}
