package org.savesync.core.folder;

import java.io.IOException;

/** Base of the typed failures of this package; the message says what happened and what to do. */
public abstract class FolderException extends IOException {
    private final String path;

    protected FolderException(String path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The relative path concerned, or {@code null} when the whole folder is concerned. */
    public String path() {
        return path;
    }
}
