package org.savesync.core.folder;

import java.io.IOException;
import java.io.SyncFailedException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directories (and metadata-only file changes) written since the last flush, so that a batch
 * of commits costs one {@code fsync} per directory instead of one per file.
 */
final class PendingSyncs {
    private final Set<Path> dirs = ConcurrentHashMap.newKeySet();
    private final Set<Path> files = ConcurrentHashMap.newKeySet();

    void dir(Path dir) {
        dirs.add(dir);
    }

    void file(Path file) {
        files.add(file);
    }

    /** Files first (their inodes), then directories (their entries). Failed ones stay pending. */
    int flush() throws IOException {
        List<IOException> failures = new ArrayList<>();
        for (Path f : drain(files)) {
            try {
                fsync(f);
            } catch (NoSuchFileException e) {
                // gone since: its directory's sync covers that
            } catch (IOException e) {
                files.add(f);
                failures.add(e);
            }
        }
        int synced = 0;
        for (Path d : drain(dirs)) {
            try {
                fsync(d);
                synced++;
            } catch (NoSuchFileException e) {
                // removed since: its parent's sync covers that
            } catch (IOException e) {
                dirs.add(d);
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            SyncFailedException e = new SyncFailedException(failures.size() + " fsync(s) failed, the first: "
                    + failures.get(0) + "; recent changes may not survive a crash: check the disk and retry");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        return synced;
    }

    /** fsync of a file or directory, opened read-only without following a symlink. */
    static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        }
    }

    private static List<Path> drain(Set<Path> set) {
        List<Path> out = new ArrayList<>();
        for (Iterator<Path> it = set.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }
}
