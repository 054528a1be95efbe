package org.savesync.core.folder;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code <root>/.savesync/tmp}: where {@link SafeFolder} prepares files and symlinks before
 * renaming them into place. Both directories are created on demand and must be real directories.
 *
 * <p>Names: {@code t-<hint>-<random>.tmp} (new temp files), {@code r-<key>.part} (resumable
 * downloads), {@code l-<random>.tmp} (symlinks being committed).
 */
final class TempArea {
    private static final int MAX_NAME_ATTEMPTS = 16;
    private static final int MAX_HINT = 40;
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{1,128}");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path root;
    private final Path dir;
    private final DirWalker walker;

    TempArea(Path root, DirWalker walker) {
        this.root = root;
        this.dir = root.resolve(Names.RESERVED).resolve(SafeFolder.TEMP_DIR);
        this.walker = walker;
    }

    Path dir() {
        return dir;
    }

    Path newFile(String hint) throws IOException {
        String h = sanitize(hint);
        try (OpenDir ignored = open(true)) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return Files.createFile(dir.resolve("t-" + h + "-" + randomHex() + ".tmp"), OWNER_ONLY);
                } catch (FileAlreadyExistsException e) {
                    if (attempt == MAX_NAME_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }
    }

    Path fileFor(String stableKey) throws IOException {
        if (stableKey == null || !HEX_KEY.matcher(stableKey).matches()) {
            throw new IllegalArgumentException("a temp file key is 1 to 128 hex digits, got '" + stableKey + "'");
        }
        Path name;
        try (OpenDir tmp = open(true)) {
            name = tmp.name("r-" + stableKey.toLowerCase(Locale.ROOT) + ".part");
            Optional<BasicFileAttributes> a = tmp.lstat(name);
            if (a.isPresent() && !a.get().isRegularFile()) {
                throw new UnsafeWriteException(null, dir.resolve(name) + " exists and is not a regular file;"
                        + " SaveSync will not write through it. Remove it (or run cleanTemp) and retry");
            }
        }
        return dir.resolve(name);
    }

    /** Creates a symlink with a fresh name in the open temp directory; returns its name. */
    Path newSymlink(OpenDir tmp, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path name = tmp.name("l-" + randomHex() + ".tmp");
            try {
                Files.createSymbolicLink(dir.resolve(name), target);
                return name;
            } catch (FileAlreadyExistsException e) {
                if (attempt == MAX_NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The name of {@code temp} inside the temp directory, refusing a file anywhere else. */
    Path nameOf(Path temp, String rel) throws UnsafeWriteException {
        Path abs = temp.toAbsolutePath().normalize();
        if (!dir.equals(abs.getParent())) {
            throw new UnsafeWriteException(rel, "the file to commit to '" + rel + "', " + temp + ", is not directly in "
                    + dir + "; create it with newTempFile() or tempFileFor()");
        }
        return abs.getFileName();
    }

    int clean(Predicate<Path> keep) throws IOException {
        try (OpenDir tmp = open(false)) {
            if (tmp == null) {
                return 0;
            }
            int removed = 0;
            for (Path name : tmp.names()) {
                if (!keep.test(dir.resolve(name))) {
                    removeTree(tmp, name);
                    removed++;
                }
            }
            return removed;
        }
    }

    private static void removeTree(OpenDir parent, Path name) throws IOException {
        Optional<BasicFileAttributes> a = parent.lstat(name);
        if (a.isEmpty()) {
            return;
        }
        try {
            if (a.get().isDirectory()) {
                try (OpenDir child = parent.openChild(name)) {
                    for (Path n : child.names()) {
                        removeTree(child, n);
                    }
                }
                parent.deleteDirectory(name);
            } else {
                parent.deleteFile(name);
            }
        } catch (NoSuchFileException e) {
            // gone already
        }
    }

    /** Opens {@code .savesync/tmp}, creating it if asked; null if it is missing and not created. */
    OpenDir open(boolean create) throws IOException {
        OpenDir d = FolderScanner.openRoot(root);
        try {
            for (String part : List.of(Names.RESERVED, SafeFolder.TEMP_DIR)) {
                Path path = d.path.resolve(part);
                OpenDir child;
                try {
                    child = walker.descend(d, part, false, create, root.relativize(path).toString(),
                            root.relativize(path).toString());
                } catch (UnsafeWriteException e) {
                    throw new UnsafeWriteException(null, path + " is not a real directory (a symlink or a file);"
                            + " SaveSync keeps its temporary files there and never writes through a link."
                            + " Remove it (SaveSync recreates the directory) and retry", e);
                }
                d.close();
                d = child;
                if (d == null) {
                    return null;
                }
            }
            return d;
        } catch (IOException | RuntimeException e) {
            if (d != null) {
                try {
                    d.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
            }
            throw e;
        }
    }

    private static String sanitize(String hint) {
        if (hint == null || hint.isEmpty()) {
            return "x";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hint.length() && b.length() < MAX_HINT; i++) {
            char c = hint.charAt(i);
            b.append((c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) ? c : '_');
        }
        return b.toString();
    }

    private static String randomHex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
