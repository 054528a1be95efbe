package org.savesync.core.folder;

/**
 * What a scan leaves out entirely (ignored paths): an excluded entry is neither reported nor
 * listed as skipped, and an excluded directory is not entered, so nothing below it costs a
 * stat. Called with the entry's NFC path, parents before children.
 */
@FunctionalInterface
public interface ScanFilter {
    /** Leaves nothing out. */
    ScanFilter NONE = (path, kind) -> false;

    boolean excludes(String path, LocalFile.Kind kind);
}
