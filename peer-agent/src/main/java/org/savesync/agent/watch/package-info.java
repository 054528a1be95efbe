/**
 * Watching a synced folder: {@link org.savesync.agent.watch.FolderWatcher} turns
 * file-system events into debounced {@link org.savesync.agent.watch.WatchSignal}s that ask
 * the owner to scan the folder. Events are hints, never the truth: the scan decides what
 * changed, and a periodic rescan elsewhere covers whatever the watcher cannot see.
 */
package org.savesync.agent.watch;
