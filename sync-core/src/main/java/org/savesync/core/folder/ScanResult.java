package org.savesync.core.folder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one {@link FolderScanner#scan}: every file, directory and symlink of the folder,
 * sorted in {@link FolderScanner#PATH_ORDER}, and the entries that were seen but cannot be synced.
 *
 * <p>A path that is neither in {@link #entries} nor {@link #isCoveredBySkipped covered by} a
 * skipped entry was not on disk during the scan.
 */
public record ScanResult(List<LocalFile> entries, List<SkippedEntry> skipped) {

    public ScanResult {
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
    }

    /** The entry at {@code path}, found by binary search. */
    public Optional<LocalFile> get(String path) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = FolderScanner.PATH_ORDER.compare(entries.get(mid).path(), path);
            if (c == 0) {
                return Optional.of(entries.get(mid));
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }

    /** The entries by path, in scan order. */
    public Map<String, LocalFile> byPath() {
        Map<String, LocalFile> m = new LinkedHashMap<>(entries.size() * 4 / 3 + 1);
        for (LocalFile f : entries) {
            m.put(f.path(), f);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * True if {@code path} is at or under a skipped entry (its NFC form): the scan could not see
     * it, so its absence from {@link #entries} must not be taken as a deletion. Name collisions do
     * not cover anything: their NFC path belongs to the entry that was reported.
     */
    public boolean isCoveredBySkipped(String path) {
        for (SkippedEntry s : skipped) {
            if (s.reason() == SkippedEntry.Reason.NAME_COLLISION) {
                continue;
            }
            String p = Names.nfc(s.rawPath());
            if (path.equals(p) || (path.startsWith(p) && path.length() > p.length() && path.charAt(p.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
