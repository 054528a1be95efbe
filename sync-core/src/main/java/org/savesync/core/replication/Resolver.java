package org.savesync.core.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.savesync.core.identity.NodeId;

/**
 * Decides the current version of one path from the newest entry of each author for it. The
 * answer depends only on the set of candidates, never on their order, so every replica
 * derives the same winner and the same conflict copies.
 *
 * <p>Order of entries: "greater" means greater {@code (hlc, author)}, HLC first, then the
 * author's node id as unsigned bytes. The rules:
 * <ol>
 *   <li>The <em>maximal</em> entries are those whose version vector no other candidate's
 *       strictly dominates; of several with equal vectors only the greatest is maximal.</li>
 *   <li>One maximal entry: it wins, no copies.</li>
 *   <li>Several (the changes were concurrent):
 *     <ul>
 *       <li>if any is a DIRECTORY, the greatest DIRECTORY wins (a directory beats a file);</li>
 *       <li>otherwise DELETED entries lose silently to any non-deleted one (an edit beats a
 *           concurrent delete), and the greatest non-deleted entry wins;</li>
 *       <li>if all are DELETED, the greatest wins.</li>
 *     </ul></li>
 *   <li>Every other maximal FILE or SYMLINK entry whose content differs from the winner's
 *       ({@link Entry#sameContent}) becomes a conflict copy; of several losers with the same
 *       content only the greatest does. Losers with the winner's content, DELETED and
 *       DIRECTORY losers produce nothing.</li>
 * </ol>
 * Dominated entries are simply older and produce nothing.
 */
public final class Resolver {
    /** Greater (hlc, author): HLC first, then node id unsigned. */
    public static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::hlc).thenComparing(Entry::author);

    /**
     * The outcome for one path.
     *
     * @param winner         the entry whose content is the path's current content
     * @param conflictCopies losers to keep beside it, sorted by {@link #ORDER} ascending
     */
    public record Resolution(Entry winner, List<Entry> conflictCopies) {
        public Resolution {
            Objects.requireNonNull(winner, "winner");
            conflictCopies = List.copyOf(conflictCopies);
        }

        /** Where each conflict copy goes, in the order of {@link #conflictCopies()}. */
        public List<SafePath> conflictCopyPaths() {
            return conflictCopies.stream()
                    .map(e -> ConflictNames.conflictCopyPath(e.path(), e.hlc(), e.author()))
                    .toList();
        }
    }

    private Resolver() {
    }

    /**
     * Resolves one path.
     *
     * @param candidates the newest entry of each author for the same path of the same group;
     *                   not empty, one per author
     */
    public static Resolution resolve(Collection<Entry> candidates) {
        List<Entry> all = check(candidates);
        List<Entry> maximal = new ArrayList<>();
        for (Entry e : all) {
            if (isMaximal(e, all)) {
                maximal.add(e);
            }
        }
        if (maximal.size() == 1) {
            return new Resolution(maximal.get(0), List.of());
        }
        Entry winner = pickWinner(maximal);
        List<Entry> copies = new ArrayList<>();
        for (Entry e : maximal) {
            if (e == winner || (e.type() != EntryType.FILE && e.type() != EntryType.SYMLINK) || e.sameContent(winner)) {
                continue;
            }
            boolean beaten = maximal.stream().anyMatch(o -> o != e && o != winner && o.sameContent(e) && ORDER.compare(o, e) > 0);
            if (!beaten) {
                copies.add(e);
            }
        }
        copies.sort(ORDER);
        return new Resolution(winner, copies);
    }

    private static boolean isMaximal(Entry e, List<Entry> all) {
        for (Entry o : all) {
            if (o == e) {
                continue;
            }
            VersionVector.Ordering rel = o.version().compare(e.version());
            if (rel == VersionVector.Ordering.DOMINATES || rel == VersionVector.Ordering.EQUAL && ORDER.compare(o, e) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Rule 3: a directory beats a file; an edit beats a delete; otherwise the greatest (hlc, author). */
    private static Entry pickWinner(List<Entry> maximal) {
        return maximal.stream().filter(e -> e.type() == EntryType.DIRECTORY).max(ORDER)
                .or(() -> maximal.stream().filter(e -> e.type() != EntryType.DELETED).max(ORDER))
                .orElseGet(() -> maximal.stream().max(ORDER).orElseThrow());
    }

    private static List<Entry> check(Collection<Entry> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("nothing to resolve: no candidates");
        }
        List<Entry> all = List.copyOf(candidates);
        Entry first = all.get(0);
        Set<NodeId> authors = new HashSet<>();
        for (Entry e : all) {
            if (!e.path().equals(first.path()) || !e.group().equals(first.group())) {
                throw new IllegalArgumentException("candidates must be for one path of one group: " + first.path()
                        + " in " + first.group() + " vs " + e.path() + " in " + e.group());
            }
            if (!authors.add(e.author())) {
                throw new IllegalArgumentException("two candidates from author " + e.author()
                        + " for " + e.path() + "; pass only each author's newest entry");
            }
        }
        return all;
    }
}
