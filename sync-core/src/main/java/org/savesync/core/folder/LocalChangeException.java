package org.savesync.core.folder;

/**
 * The file on disk is no longer what the caller last saw: the user (or another program) changed,
 * created or removed it in the meantime. Nothing was overwritten; rescan the path and decide again.
 */
public class LocalChangeException extends FolderException {
    private final transient LocalFile expected;
    private final transient LocalFile actual;

    public LocalChangeException(String path, LocalFile expected, LocalFile actual) {
        this(path, expected, actual, describe(actual));
    }

    /** For when what was found is not a {@link LocalFile} (a fifo, a socket, …): say what it is. */
    public LocalChangeException(String path, LocalFile expected, LocalFile actual, String found) {
        super(path, message(path, expected, found), null);
        this.expected = expected;
        this.actual = actual;
    }

    /** What the caller expected, {@code null} for "nothing there". */
    public LocalFile expected() {
        return expected;
    }

    /** What is there now, {@code null} for nothing (or something that is not a file, dir or link). */
    public LocalFile actual() {
        return actual;
    }

    private static String message(String path, LocalFile expected, String found) {
        return "'" + path + "' changed locally since it was scanned (expected " + describe(expected)
                + ", found " + found + "); nothing was overwritten: rescan it and apply the change again";
    }

    private static String describe(LocalFile f) {
        if (f == null) {
            return "nothing";
        }
        return switch (f.kind()) {
            case FILE -> "a file of " + f.size() + " bytes, mtime " + f.mtimeNanos() + " ns, inode " + f.inode();
            case DIRECTORY -> "a directory, inode " + f.inode();
            case SYMLINK -> "a symlink to '" + f.symlinkTarget() + "', inode " + f.inode();
        };
    }
}
