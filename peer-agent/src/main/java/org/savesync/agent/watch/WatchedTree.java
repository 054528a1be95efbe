package org.savesync.agent.watch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchKey;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jboss.logging.Logger;

/**
 * The directories of one folder that are registered with the watch service, one watch per
 * directory (inotify is not recursive). Never registers the top-level {@code .savesync}
 * directory or anything below it, and never follows a symbolic link.
 *
 * <p>Paths are ours, not the key's {@link WatchKey#watchable()}: inotify watches an inode,
 * so a directory renamed inside the folder keeps its key, and re-registering it under the
 * new path (which the JDK answers with the same key) moves the key to that path here.
 *
 * <p>A directory that cannot be watched (inotify watch limit, permissions) is logged once
 * per cause, with what to raise, and skipped: the periodic rescan covers it. Mutated only
 * by the watcher thread (and by {@code start()} before that thread exists); readable from
 * any thread for tests.
 */
final class WatchedTree {

    /** The top-level directory the engine keeps its temporary files in; never watched. */
    static final String ENGINE_DIR = ".savesync";

    /** Where Linux keeps the per-user inotify watch limit. */
    static final Path MAX_USER_WATCHES = Path.of("/proc/sys/fs/inotify/max_user_watches");

    /** Registers one directory; the JDK's {@code Path.register} in production. */
    @FunctionalInterface
    interface Registrar {
        WatchKey register(Path dir) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(FolderWatcher.class);

    private final Path root;
    private final Path engineDir;
    private final Registrar registrar;
    private final Map<WatchKey, Path> pathByKey = new ConcurrentHashMap<>();
    private final NavigableMap<Path, WatchKey> keyByPath = new ConcurrentSkipListMap<>();
    private boolean warnedLimit;
    private boolean warnedOther;
    private int unwatchable;

    WatchedTree(Path root, Registrar registrar) {
        this.root = root;
        this.engineDir = root.resolve(ENGINE_DIR);
        this.registrar = registrar;
    }

    /** Whether events at {@code path} are the engine's own and never signal a change. */
    boolean isIgnored(Path path) {
        return path.startsWith(engineDir);
    }

    /** Registers the root itself; unlike any other directory, failing here is fatal. */
    void registerRoot() throws IOException {
        put(root, registrar.register(root));
    }

    /**
     * Registers {@code top} and every directory below it that is not yet watched. Each
     * directory is registered before it is listed, so an entry created meanwhile is either
     * listed or reported by its new watch.
     */
    void registerTree(Path top) {
        if (isIgnored(top)) {
            return;
        }
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (isIgnored(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    register(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Deleted or unreadable while we walked: its own events or the rescan cover it.
                    LOG.debugf("not walking %s: %s", file, e);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debugf("walking %s failed: %s", top, e);
        }
    }

    /** The directory a key watches, or null once it is no longer ours. */
    Path pathOf(WatchKey key) {
        return pathByKey.get(key);
    }

    /**
     * After {@code path} was reported deleted or moved away: cancels the watches at and below
     * it whose directory is gone, so a directory moved out of the folder stops reporting.
     * A directory moved within the folder was already re-registered under its new path if
     * its arrival was seen first, or is registered afresh when it is seen next.
     */
    void forgetIfGone(Path path) {
        String prefix = path.toString();
        for (Map.Entry<Path, WatchKey> e : keyByPath.tailMap(path, true).entrySet()) {
            Path dir = e.getKey();
            if (!dir.toString().startsWith(prefix)) {
                break;
            }
            if (dir.startsWith(path) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                e.getValue().cancel();
                forget(e.getValue());
            }
        }
    }

    /** Drops a key that is cancelled or no longer valid. */
    void forget(WatchKey key) {
        Path dir = pathByKey.remove(key);
        if (dir != null) {
            keyByPath.remove(dir, key);
        }
    }

    /** A snapshot of the watched directories. */
    Set<Path> directories() {
        return Set.copyOf(keyByPath.keySet());
    }

    /** How many directories could not be watched so far. */
    int unwatchable() {
        return unwatchable;
    }

    private void register(Path dir) {
        try {
            put(dir, registrar.register(dir));
        } catch (NoSuchFileException | NotDirectoryException e) {
            LOG.debugf("%s vanished before it could be watched", dir);
        } catch (IOException e) {
            unwatchable(dir, e);
        }
    }

    private void put(Path dir, WatchKey key) {
        Path previous = pathByKey.put(key, dir);
        if (previous != null && !previous.equals(dir)) {
            keyByPath.remove(previous, key);
        }
        keyByPath.put(dir, key);
    }

    private void unwatchable(Path dir, IOException e) {
        unwatchable++;
        boolean limit = String.valueOf(e.getMessage()).contains("inotify watches");
        if (limit && !warnedLimit) {
            warnedLimit = true;
            LOG.warn("Cannot watch " + dir + ": the inotify watch limit is reached (fs.inotify.max_user_watches = "
                    + currentLimit() + "). Changes in this and further unwatched directories are only found by"
                    + " the periodic rescan. Raise the limit, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`"
                    + " and persist it in /etc/sysctl.d/. (Logged once.)");
        } else if (!limit && !warnedOther) {
            warnedOther = true;
            LOG.warn("Cannot watch " + dir + " (" + e + "). Changes in it are only found by the periodic rescan;"
                    + " check its permissions. (Logged once; further failures are logged at debug level.)");
        } else {
            LOG.debugf("cannot watch %s: %s", dir, e);
        }
    }

    private static String currentLimit() {
        // Not Files.readString: on this JDK it misreads /proc files, which report size 0.
        try (BufferedReader in = Files.newBufferedReader(MAX_USER_WATCHES)) {
            String line = in.readLine();
            return line == null ? "unknown" : line.strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
