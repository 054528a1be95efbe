package org.savesync.agent.service;

import java.time.Duration;
import org.savesync.core.engine.GroupHandle;

/** Watches one group's folder and asks the engine to scan it when something changed. */
final class FolderMonitor implements AutoCloseable {
    private final GroupHandle group;

    private FolderMonitor(GroupHandle group) {
        this.group = group;
    }

    static FolderMonitor start(GroupHandle group, Duration debounce) {
        return new FolderMonitor(group);
    }

    @Override
    public void close() {
    }
}
