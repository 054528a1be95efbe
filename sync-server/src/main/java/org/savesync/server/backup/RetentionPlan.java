package org.savesync.server.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.persistence.StoredVersion;

/**
 * Which versions of a group a {@link RetentionPolicy} removes at a given time. A current
 * version is never removed. A replaced or deleted version is kept while both hold:
 * <ul>
 *   <li>it is among the last {@code keepVersions} versions of its path (the current one counts);
 *   <li>it was replaced less than {@code keepDays} days ago (the next version's arrival at the
 *       hub), so a deleted file can be restored for that long after its deletion.
 * </ul>
 * Then, with a quota, while the bytes the group's remaining versions hold in the chunk store
 * (each distinct chunk once) exceed it, the version replaced longest ago goes next, until the
 * group fits or only current versions are left (a group whose current files alone exceed its
 * quota keeps them all: the quota limits history, never the files themselves).
 *
 * @param prune       the versions to remove, in the order they were chosen
 * @param why         how many went for each reason
 * @param bytesBefore what the group's versions held before
 * @param bytesAfter  what the remaining versions hold
 */
public record RetentionPlan(List<StoredVersion> prune, Map<Reason, Integer> why, long bytesBefore, long bytesAfter) {
    /** Why a version is removed. */
    public enum Reason {
        /** older than the last {@code keepVersions} of its path */
        VERSIONS,
        /** replaced or deleted {@code keepDays} days ago or more */
        DAYS,
        /** removed, oldest first, to bring the group under its quota */
        QUOTA
    }

    /**
     * @param versions every version the group holds ({@code PgIndexStore.versions()})
     * @param lists    the chunk list of a blob, empty when none is held
     */
    public static RetentionPlan of(RetentionPolicy policy, List<StoredVersion> versions,
                                   Function<BlobId, List<ChunkRef>> lists, Instant now) {
        Instant replacedBefore = now.minus(Duration.ofDays(policy.keepDays()));
        ChunkTally tally = new ChunkTally(lists);
        versions.forEach(v -> tally.add(v.blob()));
        long before = tally.bytes();
        List<StoredVersion> prune = new ArrayList<>();
        Map<Reason, Integer> why = new EnumMap<>(Reason.class);
        List<StoredVersion> kept = new ArrayList<>();
        for (StoredVersion v : versions) {
            Reason r = v.current() ? null
                    : v.newestFirst() > policy.keepVersions() ? Reason.VERSIONS
                    : v.replacedAt() != null && !v.replacedAt().isAfter(replacedBefore) ? Reason.DAYS
                    : null;
            if (r == null) {
                if (!v.current()) {
                    kept.add(v);
                }
                continue;
            }
            prune.add(v);
            why.merge(r, 1, Integer::sum);
            tally.remove(v.blob());
        }
        if (policy.quotaBytes() > 0 && tally.bytes() > policy.quotaBytes()) {
            kept.sort(Comparator.comparing(StoredVersion::replacedAt).thenComparing(StoredVersion::path)
                    .thenComparing(StoredVersion::id));
            for (StoredVersion v : kept) {
                if (tally.bytes() <= policy.quotaBytes()) {
                    break;
                }
                prune.add(v);
                why.merge(Reason.QUOTA, 1, Integer::sum);
                tally.remove(v.blob());
            }
        }
        return new RetentionPlan(List.copyOf(prune), Map.copyOf(why), before, tally.bytes());
    }

    /** The bytes the removed versions alone held (what the chunk store can give back once nothing else needs them). */
    public long bytesReleased() {
        return bytesBefore - bytesAfter;
    }
}
