package org.savesync.agent.service;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.savesync.agent.watch.FolderWatcher;
import org.savesync.agent.watch.WatchSignal;
import org.savesync.core.engine.GroupHandle;
import org.savesync.core.failure.Failure;

/**
 * Keeps one group's folder watched: every watcher signal becomes a scan request (the engine
 * merges requests that arrive while a scan runs, and a scan of unchanged files only stats
 * them, so the agent's own writes cost a stat and publish nothing). When the folder goes
 * away the watcher stops; {@link #ensureWatching} (called with every periodic rescan) starts
 * it again once the folder is back.
 */
final class FolderMonitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FolderMonitor.class);

    private final GroupHandle group;
    private final Duration debounce;
    private FolderWatcher watcher;
    private boolean closed;
    private boolean warned;

    private FolderMonitor(GroupHandle group, Duration debounce) {
        this.group = group;
        this.debounce = debounce;
    }

    static FolderMonitor start(GroupHandle group, Duration debounce) {
        FolderMonitor m = new FolderMonitor(group, debounce);
        m.ensureWatching();
        return m;
    }

    /** Starts the watcher if it is not running (first start, or the folder came back). */
    synchronized void ensureWatching() {
        if (closed || (watcher != null && watcher.isRunning())) {
            return;
        }
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        if (!Files.isDirectory(group.folder())) {
            return;
        }
        FolderWatcher w = new FolderWatcher(group.folder(), debounce, this::onSignal);
        try {
            w.start();
            watcher = w;
            if (warned) {
                LOG.infof("group %s: watching %s again", group.name(), group.folder());
                warned = false;
            }
        } catch (IOException | RuntimeException e) {
            w.close();
            if (!warned) {
                LOG.warnf("group %s: cannot watch %s (%s); changes are found by the periodic rescan instead",
                        group.name(), group.folder(), Failure.describe(e));
                warned = true;
            }
        }
    }

    private void onSignal(WatchSignal s) {
        if (s == WatchSignal.STOPPED) {
            LOG.warnf("group %s: stopped watching %s (deleted, moved or unmounted?); the periodic rescan reports"
                    + " and watching resumes when it is back", group.name(), group.folder());
            warned = true;
        }
        group.scan();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
    }
}
