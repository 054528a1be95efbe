package org.savesync.core.folder;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.savesync.core.failure.Failure;

/**
 * Reads a synced folder into {@link LocalFile}s without ever following a symlink.
 *
 * <p>How: a depth-first walk over directory descriptors. Each directory is opened relative to its
 * parent's descriptor with {@code O_NOFOLLOW} ({@link OpenDir}), so a directory swapped for a
 * symlink mid-scan is never entered; each entry is {@code lstat}'ed once by path (the JDK reads
 * the inode and ctime only that way). The residual race: if a directory <em>above</em> an entry is
 * swapped for a symlink between our open and that {@code lstat}, the stat may describe a file
 * elsewhere; only metadata is read, never content, and the next scan corrects it.
 *
 * <p>Rules:
 * <ul>
 *   <li>the top-level {@code .savesync} (SaveSync's temporary area) is never reported;</li>
 *   <li>paths are relative, {@code '/'}-separated, each component NFC-normalised; the root is not
 *       reported; entries come in {@link #PATH_ORDER} (parents before children);</li>
 *   <li>a symlink is reported with its target text and never entered;</li>
 *   <li>names that are not valid UTF-8, or hold a backslash or control character, fifos, sockets
 *       and devices, unreadable entries, and second spellings of a name that collide after NFC
 *       normalisation (the spelling already in NFC wins, else the smallest) go to
 *       {@link ScanResult#skipped()} instead of failing the scan;</li>
 *   <li>an entry that vanishes while being scanned is simply absent; any other I/O error fails
 *       the scan (a partial scan must never look like deletions).</li>
 *   <li>with a {@link ScanFilter}, what it excludes (ignored paths) is absent too, neither
 *       reported nor skipped, and an excluded directory is not entered.</li>
 * </ul>
 */
public final class FolderScanner {
    /** The order of {@link ScanResult#entries()}: component by component, by code point. */
    public static final Comparator<String> PATH_ORDER = Names.PATH_ORDER;

    private final List<LocalFile> entries = new ArrayList<>();
    private final List<SkippedEntry> skipped = new ArrayList<>();
    private final ScanFilter filter;

    private FolderScanner(ScanFilter filter) {
        this.filter = filter;
    }

    /**
     * Scans the folder at {@code root}, which must be a real directory (not a symlink to one: pass
     * {@code root.toRealPath()} if it is).
     *
     * @throws FolderUnavailableException if the root is missing, not a directory, or a symlink
     * @throws IOException                on an I/O error other than an entry vanishing
     */
    public static ScanResult scan(Path root) throws IOException {
        return scan(root, ScanFilter.NONE);
    }

    /**
     * Like {@link #scan(Path)}, leaving out what {@code filter} excludes (and everything below an
     * excluded directory).
     */
    public static ScanResult scan(Path root, ScanFilter filter) throws IOException {
        Stat.checkPlatform();
        FolderScanner s = new FolderScanner(java.util.Objects.requireNonNull(filter, "filter"));
        try (OpenDir dir = openRoot(root)) {
            s.walk(dir, "", true);
        }
        return new ScanResult(s.entries, s.skipped);
    }

    /**
     * One path of the folder, without following symlinks anywhere: if a directory on the way is a
     * symlink (or a file), the path does not exist inside the folder and the result is empty.
     * Names on disk that are another Unicode spelling of {@code rel} (e.g. NFD) are found too.
     *
     * @param rel a relative, {@code '/'}-separated, NFC path outside {@code .savesync/}
     * @throws NotSyncableException if something that cannot be synced is there (fifo, socket, …)
     * @throws IllegalArgumentException if {@code rel} is malformed
     */
    public static Optional<LocalFile> stat(Path root, String rel) throws IOException {
        Stat.checkPlatform();
        List<String> parts;
        try {
            parts = Names.split(rel);
        } catch (Names.InvalidPath e) {
            throw new IllegalArgumentException("cannot stat '" + rel + "': " + e.getMessage());
        }
        OpenDir dir = openRoot(root);
        try {
            for (int i = 0; i < parts.size() - 1; i++) {
                Optional<Path> name = dir.findExisting(parts.get(i));
                if (name.isEmpty()) {
                    return Optional.empty();
                }
                OpenDir child;
                try {
                    child = dir.openChild(name.get());
                } catch (NoSuchFileException | NotDirectoryException e) {
                    return Optional.empty();
                } catch (FileSystemException e) {
                    if (dir.lstat(name.get()).map(a -> a.isSymbolicLink()).orElse(true)) {
                        return Optional.empty(); // a symlink (or gone): nothing below it is inside the folder
                    }
                    throw e;
                }
                dir.close();
                dir = child;
            }
            Optional<Path> name = dir.findExisting(parts.get(parts.size() - 1));
            if (name.isEmpty()) {
                return Optional.empty();
            }
            Stat.Observed o;
            try {
                o = Stat.observe(dir.path.resolve(name.get()), rel);
            } catch (AccessDeniedException e) {
                throw new NotSyncableException(rel, new SkippedEntry(rel, SkippedEntry.Reason.UNREADABLE,
                        "permission denied reading its attributes; fix its permissions"));
            }
            if (o == null) {
                return Optional.empty();
            }
            if (o.file() == null) {
                throw new NotSyncableException(rel, special(rel, o.type()));
            }
            if (o.file().isSymlink()) {
                String bad = Stat.unsupportedTarget(o.file().symlinkTarget());
                if (bad != null) {
                    throw new NotSyncableException(rel, new SkippedEntry(rel,
                            SkippedEntry.Reason.UNREPRESENTABLE_SYMLINK_TARGET, bad));
                }
            }
            return Optional.of(o.file());
        } finally {
            dir.close();
        }
    }

    static OpenDir openRoot(Path root) throws IOException {
        try {
            return OpenDir.openNoFollow(root);
        } catch (NoSuchFileException e) {
            throw new FolderUnavailableException("the folder " + root + " does not exist; create it or correct its path", e);
        } catch (NotDirectoryException e) {
            throw new FolderUnavailableException("the folder " + root + " is not a directory; correct its path", e);
        } catch (FileSystemException e) {
            if (java.nio.file.Files.isSymbolicLink(root)) {
                throw new FolderUnavailableException("the folder " + root + " is a symlink; SaveSync never follows"
                        + " symlinks, so configure the folder by its real path (" + realPathOrUnknown(root) + ")", e);
            }
            throw e;
        }
    }

    private static String realPathOrUnknown(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return "unresolvable: " + Failure.describe(e);
        }
    }

    private void walk(OpenDir dir, String prefix, boolean top) throws IOException {
        List<Path> names;
        try {
            names = dir.names();
        } catch (AccessDeniedException e) {
            if (top) {
                throw new FolderUnavailableException("permission denied listing the folder " + dir.path
                        + "; give this user read access to it", e);
            }
            skip(prefix.substring(0, prefix.length() - 1), SkippedEntry.Reason.UNREADABLE,
                    "permission denied listing this directory, so its contents are not synced; fix its permissions");
            return;
        }
        // NFC name -> the on-disk spelling reported under it
        Map<String, Path> chosen = new HashMap<>(names.size() * 4 / 3 + 1);
        for (Path name : names) {
            String raw = name.toString();
            if (top && raw.equals(Names.RESERVED)) {
                continue;
            }
            if (!Names.roundTrips(name)) {
                skip(prefix + raw, SkippedEntry.Reason.UNREPRESENTABLE_NAME,
                        "the name is not valid UTF-8; rename it to sync it");
                continue;
            }
            String nfc = Names.nfc(raw);
            String bad = Names.unsupportedCharacter(nfc);
            if (bad != null) {
                skip(prefix + raw, SkippedEntry.Reason.UNSUPPORTED_NAME, "the name " + bad + "; rename it to sync it");
                continue;
            }
            Path other = chosen.get(nfc);
            if (other == null) {
                chosen.put(nfc, name);
                continue;
            }
            // Two spellings of one name: the one already in NFC wins, else the smallest.
            String o = other.toString();
            boolean keepOther = o.equals(nfc) || (!raw.equals(nfc) && Names.comparePaths(o, raw) < 0);
            Path loser = keepOther ? name : other;
            if (!keepOther) {
                chosen.put(nfc, name);
            }
            skip(prefix + loser, SkippedEntry.Reason.NAME_COLLISION, "another entry in this directory is named '"
                    + nfc + "' after Unicode (NFC) normalisation; rename one of them to sync both");
        }
        List<String> sorted = new ArrayList<>(chosen.keySet());
        sorted.sort(PATH_ORDER);
        for (String nfc : sorted) {
            visit(dir, chosen.get(nfc), prefix + nfc);
        }
    }

    private void visit(OpenDir dir, Path name, String rel) throws IOException {
        Stat.Observed o;
        try {
            o = Stat.observe(dir.path.resolve(name), rel);
        } catch (AccessDeniedException e) {
            skip(rel, SkippedEntry.Reason.UNREADABLE, "permission denied reading its attributes; fix its permissions");
            return;
        }
        if (o == null) {
            return; // vanished during the scan
        }
        if (o.file() == null) {
            if (!filter.excludes(rel, LocalFile.Kind.FILE)) { // an ignored fifo is not worth a warning
                skipped.add(special(rel, o.type()));
            }
            return;
        }
        LocalFile f = o.file();
        if (filter.excludes(rel, f.kind())) {
            return;
        }
        switch (f.kind()) {
            case FILE -> entries.add(f);
            case SYMLINK -> {
                String bad = Stat.unsupportedTarget(f.symlinkTarget());
                if (bad != null) {
                    skip(rel, SkippedEntry.Reason.UNREPRESENTABLE_SYMLINK_TARGET, bad + "; recreate the link to sync it");
                } else {
                    entries.add(f);
                }
            }
            case DIRECTORY -> {
                OpenDir child;
                try {
                    child = dir.openChild(name);
                } catch (NoSuchFileException e) {
                    return; // vanished during the scan
                } catch (AccessDeniedException e) {
                    entries.add(f);
                    skip(rel, SkippedEntry.Reason.UNREADABLE,
                            "permission denied opening this directory, so its contents are not synced; fix its permissions");
                    return;
                } catch (FileSystemException e) {
                    // Replaced by a symlink or file since the stat: report what is there now.
                    Stat.Observed now = Stat.observe(dir.path.resolve(name), rel);
                    if (now == null) {
                        return;
                    }
                    if (now.type() == Stat.Type.DIRECTORY) {
                        throw e;
                    }
                    visit(dir, name, rel);
                    return;
                }
                entries.add(f);
                try (child) {
                    walk(child, rel + "/", false);
                }
            }
        }
    }

    private static SkippedEntry special(String rel, Stat.Type type) {
        return new SkippedEntry(rel, SkippedEntry.Reason.SPECIAL_FILE, "it is " + new Stat.Observed(type, null).describe()
                + ", which cannot be synced; move it out of the folder to silence this");
    }

    private void skip(String rawPath, SkippedEntry.Reason reason, String detail) {
        skipped.add(new SkippedEntry(rawPath, reason, detail));
    }
}
