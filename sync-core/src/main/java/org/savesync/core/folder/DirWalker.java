package org.savesync.core.folder;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens directories below a folder root one component at a time, each with
 * {@code openat(O_NOFOLLOW)} relative to the one before, refusing symlinks and non-directories.
 * Missing directories can be created on the way (by path: Java has no {@code mkdirat}).
 */
final class DirWalker {
    private final Path root;
    /** Told about every directory in which a new directory was created (for the batched fsync). */
    private final Consumer<Path> created;

    DirWalker(Path root, Consumer<Path> created) {
        this.root = root;
        this.created = created;
    }

    /**
     * Opens the directory made of the first {@code n} components of {@code parts}.
     *
     * @param create  create missing directories; if false, a missing one makes the result null
     * @param rel     the whole relative path, for messages
     * @return the open directory (the caller closes it), or null if missing and not created
     * @throws UnsafeWriteException if a component is a symlink or not a directory
     */
    OpenDir open(List<String> parts, int n, boolean create, String rel) throws IOException {
        OpenDir dir = FolderScanner.openRoot(root);
        try {
            for (int i = 0; i < n; i++) {
                OpenDir child = descend(dir, parts.get(i), true, create, rel, String.join("/", parts.subList(0, i + 1)));
                dir.close();
                dir = child;
                if (dir == null) {
                    return null;
                }
            }
            return dir;
        } catch (IOException | RuntimeException | Error e) {
            if (dir != null) {
                try {
                    dir.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
            }
            throw e;
        }
    }

    /**
     * Opens one child directory of {@code dir} (the caller still owns and closes {@code dir}).
     *
     * @param nfcLookup also accept another Unicode spelling of {@code part} that exists on disk
     */
    OpenDir descend(OpenDir dir, String part, boolean nfcLookup, boolean create, String rel, String sofar)
            throws IOException {
        Path name = nfcLookup ? dir.findExisting(part).orElse(null) : dir.name(part);
        Optional<BasicFileAttributes> a = name == null ? Optional.empty() : dir.lstat(name);
        if (a.isEmpty()) {
            if (!create) {
                return null;
            }
            name = dir.name(part);
            try {
                Files.createDirectory(dir.path.resolve(name));
                created.accept(dir.path);
            } catch (FileAlreadyExistsException e) {
                // Someone else made it first; whatever it is gets checked below.
            }
            a = dir.lstat(name);
            if (a.isEmpty()) {
                throw new LocalChangeException(sofar, null, null, "nothing: it was removed right after being created");
            }
        }
        if (a.get().isSymbolicLink()) {
            throw refuse(rel, sofar, "is a symlink; SaveSync never writes through a symlink."
                    + " Replace it with a real directory (or remove it) and rescan");
        }
        if (!a.get().isDirectory()) {
            throw refuse(rel, sofar, "is not a directory; move it away (or let the sync delete it) and rescan");
        }
        try {
            return dir.openChild(name);
        } catch (NoSuchFileException e) {
            if (create) {
                throw new LocalChangeException(sofar, null, null, "nothing: it was removed while being opened");
            }
            return null;
        } catch (FileSystemException e) {
            throw new UnsafeWriteException(rel, "Refusing to write '" + rel + "': '" + sofar
                    + "' was replaced by a symlink or file while being opened; nothing was written. Rescan and retry", e);
        }
    }

    private static UnsafeWriteException refuse(String rel, String sofar, String what) {
        return new UnsafeWriteException(rel, "Refusing to write '" + rel + "': '" + sofar + "' " + what);
    }
}
