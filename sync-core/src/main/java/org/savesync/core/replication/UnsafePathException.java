package org.savesync.core.replication;

/**
 * A path that must not be synced: it could escape the folder, collide with the engine's
 * own files, or cannot be created on some major operating system. The message names the
 * rule; control characters in the path are shown escaped.
 */
public final class UnsafePathException extends IllegalArgumentException {
    private final String path;
    private final String reason;

    public UnsafePathException(String path, String reason) {
        super("unsafe path '" + org.savesync.core.failure.PeerLog.printable(path, 300) + "': " + reason
                + " (such paths are refused so a file cannot escape the folder or break on another OS; rename it)");
        this.path = path;
        this.reason = reason;
    }

    /** The refused path, exactly as given. */
    public String path() {
        return path;
    }

    /** The rule it broke. */
    public String reason() {
        return reason;
    }
}
