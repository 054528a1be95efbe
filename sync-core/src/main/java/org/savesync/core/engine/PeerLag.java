package org.savesync.core.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.savesync.core.index.IndexStore;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * How far a peer's last reported knowledge of a group is behind (or ahead of) this node's:
 * the entries this node holds that the peer has not reported, as files and bytes. Counted
 * from this node's own store, so a peer can only make itself look further behind, never make
 * this node look in step; at most {@link #MAX_COUNTED} entries are read per call.
 *
 * @param entries   entries this node holds beyond the peer's report
 * @param files     distinct file paths among them (deletions and directories not counted)
 * @param bytes     the sizes of those files' newest versions among them
 * @param truncated the count stopped at {@link #MAX_COUNTED}: there is at least this much
 * @param ahead     the peer reported an entry this node does not hold yet
 */
public record PeerLag(int entries, int files, long bytes, boolean truncated, boolean ahead) {
    /** The most entries counted per call (the status is asked for every few seconds). */
    public static final int MAX_COUNTED = 10_000;

    /** Whether the peer holds everything this node holds and nothing more. */
    public boolean inStep() {
        return entries == 0 && !ahead;
    }

    /** Empty when the peer never reported its knowledge of the group. */
    static Optional<PeerLag> of(IndexStore store, Map<org.savesync.core.identity.NodeId, Long> reported) {
        if (reported == null) {
            return Optional.empty();
        }
        Map<org.savesync.core.identity.NodeId, Long> mine = store.knowledge().highest();
        boolean ahead = reported.entrySet().stream().anyMatch(e -> e.getValue() > mine.getOrDefault(e.getKey(), 0L));
        int entries = 0;
        Map<SafePath, Long> files = new java.util.HashMap<>();
        boolean truncated = false;
        for (var e : mine.entrySet()) {
            long theirs = reported.getOrDefault(e.getKey(), 0L);
            if (theirs >= e.getValue()) {
                continue;
            }
            List<SignedEntry> after = store.entriesAfter(e.getKey(), theirs, MAX_COUNTED - entries + 1);
            for (SignedEntry s : after) {
                if (entries == MAX_COUNTED) {
                    truncated = true;
                    break;
                }
                entries++;
                if (s.entry().type() == EntryType.FILE) {
                    files.put(s.entry().path(), s.entry().size()); // in seq order: the newest stays
                }
            }
            if (truncated) {
                break;
            }
        }
        long bytes = files.values().stream().mapToLong(Long::longValue).sum();
        return Optional.of(new PeerLag(entries, files.size(), bytes, truncated, ahead));
    }
}
