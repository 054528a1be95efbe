package org.savesync.core.folder;

/**
 * {@link FolderScanner#stat} found something at the path that cannot be synced (a fifo, socket or
 * device, or an unreadable entry). Like a {@link SkippedEntry} in a scan, it is not a deletion.
 */
public class NotSyncableException extends FolderException {
    private final SkippedEntry entry;

    public NotSyncableException(String path, SkippedEntry entry) {
        super(path, "'" + path + "' cannot be synced: " + entry.detail(), null);
        this.entry = entry;
    }

    public SkippedEntry entry() {
        return entry;
    }
}
