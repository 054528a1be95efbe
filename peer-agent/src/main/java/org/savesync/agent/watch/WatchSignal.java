package org.savesync.agent.watch;

/**
 * What a {@link FolderWatcher} tells its owner. Every signal asks for a scan of the whole
 * folder (cheap when little changed, since unchanged files are not rehashed); the kinds
 * differ in what the owner should make of the watcher itself.
 *
 * <p>Declared from weakest to strongest: when several are pending, the strongest is the
 * one delivered.
 */
public enum WatchSignal {

    /** Something under the folder changed; the watcher saw it and keeps watching. */
    CHANGED,

    /**
     * Events were lost (the kernel's or the JDK's event queue overflowed), so the watcher
     * cannot say what changed; it has re-registered the directory tree and keeps watching.
     */
    RESCAN,

    /**
     * The watcher stopped on its own and delivers nothing more: the folder itself is gone
     * (deleted, moved away or unmounted), or the watcher failed (logged). The owner's scan
     * reports a missing folder; a new watcher can be started once the folder is back.
     */
    STOPPED
}
