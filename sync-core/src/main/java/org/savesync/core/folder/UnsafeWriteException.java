package org.savesync.core.folder;

/**
 * A write was refused because it could land outside the folder or somewhere it must not: the
 * relative path is malformed ({@code ..}, absolute, empty components, reserved
 * {@code .savesync/}), a component on the way is a symlink or not a directory, or SaveSync's own
 * temporary area is not a real directory. Nothing was written.
 */
public class UnsafeWriteException extends FolderException {
    public UnsafeWriteException(String path, String message) {
        super(path, message, null);
    }

    public UnsafeWriteException(String path, String message, Throwable cause) {
        super(path, message, cause);
    }
}
