package org.savesync.core.folder;

/**
 * The folder as a whole cannot be used: its root is missing, is not a directory, is itself a
 * symlink, or this JVM cannot decode file names as UTF-8. Nothing was read or written.
 */
public class FolderUnavailableException extends FolderException {
    public FolderUnavailableException(String message) {
        super(null, message, null);
    }

    public FolderUnavailableException(String message, Throwable cause) {
        super(null, message, cause);
    }
}
