package org.savesync.core.folder;

import java.io.IOException;
import java.io.SyncFailedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The only code that writes into a synced folder. Every path is the engine's relative,
 * {@code '/'}-separated NFC string; malformed ones ({@code ..}, absolute, empty components,
 * {@code .savesync/…}) are refused with {@link UnsafeWriteException}.
 *
 * <h2>How a file gets into place, and why a crash never leaves half of one</h2>
 * <ol>
 *   <li>The caller writes the content into a temp file from {@link #newTempFile} or
 *       {@link #tempFileFor}, under {@code .savesync/tmp} — inside the folder, so on the same file
 *       system and the final rename is atomic.</li>
 *   <li>{@link #commitFile} sets the temp file's mode and mtime and {@code fsync}s it: content and
 *       metadata are on disk before the file has its real name. {@link #seal} does that step ahead,
 *       on any thread (a download's I/O thread), so that the commit, on the engine thread, only
 *       checks and renames.</li>
 *   <li>One {@code rename(2)} puts it in place. POSIX makes it atomic: every reader, and the disk
 *       after a crash, sees either the old file or the whole new one — never a partial file, never
 *       nothing where a file was.</li>
 *   <li>{@link #syncDirectories} {@code fsync}s each directory that received a rename (batched:
 *       once per directory per batch), which makes the renames durable. Callers must not report a
 *       batch as applied before it returns.</li>
 * </ol>
 * A crash before step 3 leaves only a stray temp file ({@link #cleanTemp} removes it); between 3
 * and 4 a rename may be undone by the crash, bringing back the old, whole file.
 *
 * <h2>Symlinks and the residual races</h2>
 * Nothing is written through a symlink. Each directory on the way is opened from the root one
 * component at a time with {@code openat(O_NOFOLLOW)} and checked to be a real directory; the
 * rename, unlink and metadata changes then go through the parent's descriptor
 * ({@code renameat}, {@code unlinkat}, {@code fchmod}/{@code futimens} on an
 * {@code O_NOFOLLOW} descriptor), so a component swapped for a symlink after the check cannot
 * redirect them. What Java cannot close:
 * <ul>
 *   <li>a missing directory is created by path ({@code mkdir}; Java has no {@code mkdirat}), so a
 *       component swapped for a symlink at that instant can make an <em>empty</em> directory
 *       elsewhere — never content, since the file itself is renamed through the descriptor;</li>
 *   <li>the expected-state check and the rename are two steps: a local edit landing between them
 *       (microseconds) is overwritten. POSIX has no compare-and-rename;</li>
 *   <li>the temp paths handed out are written by the caller by path; {@code .savesync} is checked
 *       to be a real directory each time, and the engine can never write into it;</li>
 *   <li>{@link #setMetadata} on a symlink sets its mtime by path ({@code lutimes} does not follow the
 *       link, but could be redirected by a swapped parent).</li>
 * </ul>
 *
 * <p>Thread-safe: operations on different paths may run concurrently. Operations on the same path
 * must be serialised by the caller.
 */
public final class SafeFolder {
    /** Name of the temp area inside the reserved {@code .savesync}. */
    public static final String TEMP_DIR = "tmp";

    private static final Set<PosixFilePermission> MODE_PLAIN = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> MODE_EXEC = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path root;
    private final DirWalker walker;
    private final TempArea tempArea;
    private final PendingSyncs pending = new PendingSyncs();
    /** Runs right before each rename or unlink into the folder; tests use it to race a swap in. */
    volatile Consumer<String> beforeChange = rel -> { };

    /**
     * @param root the folder; must exist and be a real directory (not a symlink to one)
     * @throws FolderUnavailableException if it is missing, not a directory or a symlink
     */
    public SafeFolder(Path root) throws IOException {
        Stat.checkPlatform();
        this.root = root.toAbsolutePath().normalize();
        try (OpenDir ignored = FolderScanner.openRoot(this.root)) {
            // opened without following: it is a real directory
        }
        this.walker = new DirWalker(this.root, pending::dir);
        // Creating the temp area itself needs no fsync: a crash just means it is created again.
        this.tempArea = new TempArea(this.root, new DirWalker(this.root, dir -> { }));
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/.savesync/tmp}: where temp files live (it may not exist yet). */
    public Path tempDirectory() {
        return tempArea.dir();
    }

    /**
     * Creates a new, empty, owner-only temp file with a unique name.
     *
     * @param hint a word for whoever reads the directory listing (sanitised, shortened)
     */
    public Path newTempFile(String hint) throws IOException {
        return tempArea.newFile(hint);
    }

    /**
     * The temp path for a resumable download: the same for the same key, so an interrupted
     * transfer finds its partial file again. Not created here; it is either absent or a regular
     * file. Open it with {@link LinkOption#NOFOLLOW_LINKS}.
     *
     * @param stableKey hex, e.g. the blob id
     */
    public Path tempFileFor(String stableKey) throws IOException {
        return tempArea.fileFor(stableKey);
    }

    /**
     * Creates the missing directories above {@code rel}, one at a time.
     *
     * @throws UnsafeWriteException if a component is a symlink or not a directory
     */
    public void ensureParents(String rel) throws IOException {
        List<String> parts = parse(rel);
        try (OpenDir ignored = walker.open(parts, parts.size() - 1, true, rel)) {
            // opened (and created) all the way down
        }
    }

    /**
     * Creates the directory {@code rel} and any missing parents; an existing directory is fine.
     *
     * @param mtimeNanosOrMinus1 the mtime to give it, or -1 to leave it. Set it after the
     *                           directory's contents: writing into it moves its mtime again.
     * @return the directory as it is now
     * @throws UnsafeWriteException if {@code rel} or a parent is a symlink or not a directory
     */
    public LocalFile ensureDirectory(String rel, long mtimeNanosOrMinus1) throws IOException {
        List<String> parts = parse(rel);
        try (OpenDir dir = walker.open(parts, parts.size(), true, rel)) {
            if (mtimeNanosOrMinus1 != -1) {
                dir.selfView().setTimes(Stat.fileTime(mtimeNanosOrMinus1), null, null);
                pending.dir(dir.path);
            }
            return statNow(dir.path, rel);
        }
    }

    /**
     * Puts a finished temp file in place at {@code rel}: sets its mode (0755 if
     * {@code executable}, else 0644) and mtime, fsyncs it, creates missing parents, checks that
     * {@code rel} is still what the caller saw, and renames it there atomically.
     *
     * @param tempFile       a regular file directly in {@link #tempDirectory()}
     * @param expectedOrNull what the caller last saw at {@code rel}, or null if it saw nothing
     *                       there (then nothing may be there now)
     * @return the file now at {@code rel} (its ctime is from just before the rename)
     * @throws LocalChangeException if {@code rel} is not as expected; nothing was changed
     * @throws UnsafeWriteException if the target is a directory, or a parent a symlink or file
     */
    public LocalFile commitFile(Path tempFile, String rel, long mtimeNanos, boolean executable, LocalFile expectedOrNull)
            throws IOException {
        return place(tempFile, rel, mtimeNanos, executable, expectedOrNull, false, false);
    }

    /**
     * Like {@link #commitFile} for a temp file {@link #seal}ed with the mtime and mode it is to
     * have (the caller's word): its mode, mtime and content are on disk already, so only the
     * checks and the rename are left.
     */
    public LocalFile commitSealedFile(Path tempFile, String rel, LocalFile expectedOrNull) throws IOException {
        return place(tempFile, rel, 0, false, expectedOrNull, false, true);
    }

    /**
     * The first step of {@link #commitFile}, ahead and on any thread: sets the temp file's mode
     * (0755 if {@code executable}, else 0644) and mtime and {@code fsync}s it. Nothing outside
     * the temp area changes.
     *
     * @param tempFile a regular file directly in {@link #tempDirectory()}
     */
    public void seal(Path tempFile, String rel, long mtimeNanos, boolean executable) throws IOException {
        parse(rel);
        try (OpenDir tmp = tempArea.open(true)) {
            sealTemp(tmp, tempArea.nameOf(tempFile, rel), tempFile, rel, mtimeNanos, executable);
        }
    }

    private void sealTemp(OpenDir tmp, Path tempName, Path tempFile, String rel, long mtimeNanos, boolean executable)
            throws IOException {
        checkRegularTemp(tmp, tempName, tempFile, rel);
        PosixFileAttributeView view = tmp.view(tempName);
        view.setPermissions(executable ? MODE_EXEC : MODE_PLAIN);
        view.setTimes(Stat.fileTime(mtimeNanos), null, null);
        PendingSyncs.fsync(tempArea.dir().resolve(tempName));
    }

    private static void checkRegularTemp(OpenDir tmp, Path tempName, Path tempFile, String rel) throws IOException {
        BasicFileAttributes ta = tmp.lstat(tempName).orElseThrow(() -> new NoSuchFileException(
                tempFile.toString(), null, "the temp file to commit to '" + rel + "' does not exist"));
        if (!ta.isRegularFile()) {
            throw new UnsafeWriteException(rel, "the temp file " + tempFile + " to commit to '" + rel
                    + "' is not a regular file; nothing was written");
        }
    }

    /**
     * Like {@link #commitFile} but replaces whatever file or symlink is at {@code rel} without
     * checking it — only for when the caller has already preserved the old content (e.g. made the
     * conflict copy). A directory is never replaced.
     */
    public LocalFile replaceFile(Path tempFile, String rel, long mtimeNanos, boolean executable) throws IOException {
        return place(tempFile, rel, mtimeNanos, executable, null, true, false);
    }

    /** {@code mtimeNanos} and {@code executable} are set unless {@code sealed} (then they are ignored). */
    private LocalFile place(Path tempFile, String rel, long mtimeNanos, boolean executable, LocalFile expected,
                            boolean replaceAny, boolean sealed) throws IOException {
        List<String> parts = parse(rel);
        try (OpenDir tmp = tempArea.open(true)) {
            Path tempName = tempArea.nameOf(tempFile, rel);
            if (sealed) {
                checkRegularTemp(tmp, tempName, tempFile, rel);
            } else {
                sealTemp(tmp, tempName, tempFile, rel, mtimeNanos, executable);
            }
            LocalFile placed = statNow(tempArea.dir().resolve(tempName), rel);
            try (OpenDir parent = walker.open(parts, parts.size() - 1, expected == null, rel)) {
                if (parent == null) {
                    throw new LocalChangeException(rel, expected, null);
                }
                Path name = target(parent, last(parts), expected != null || replaceAny);
                Stat.Observed actual = Stat.observe(parent.path.resolve(name), rel);
                checkTarget(rel, expected, replaceAny, actual);
                checkNotDirectory(rel, actual);
                beforeChange.accept(rel);
                tmp.move(tempName, parent, name);
                pending.dir(parent.path);
            }
            return placed;
        }
    }

    /**
     * Puts a symlink with the given target text at {@code rel}: it is made in the temp area and
     * renamed into place, so an existing link is replaced, never written through. The target is
     * stored as Java's path parser leaves it (redundant {@code '/'} removed) and is never followed.
     *
     * @param expectedOrNull what the caller last saw at {@code rel}, or null for nothing
     * @throws LocalChangeException if {@code rel} is not as expected
     * @throws IllegalArgumentException if the target is empty or holds NUL or control characters
     */
    public LocalFile commitSymlink(String rel, String target, LocalFile expectedOrNull) throws IOException {
        List<String> parts = parse(rel);
        Path targetPath = symlinkTarget(rel, target);
        try (OpenDir tmp = tempArea.open(true)) {
            Path linkName = tempArea.newSymlink(tmp, targetPath);
            try {
                LocalFile placed = statNow(tempArea.dir().resolve(linkName), rel);
                try (OpenDir parent = walker.open(parts, parts.size() - 1, expectedOrNull == null, rel)) {
                    if (parent == null) {
                        throw new LocalChangeException(rel, expectedOrNull, null);
                    }
                    Path name = target(parent, last(parts), expectedOrNull != null);
                    Stat.Observed actual = Stat.observe(parent.path.resolve(name), rel);
                    checkTarget(rel, expectedOrNull, false, actual);
                    checkNotDirectory(rel, actual);
                    beforeChange.accept(rel);
                    tmp.move(linkName, parent, name);
                    pending.dir(parent.path);
                }
                return placed;
            } catch (IOException | RuntimeException e) {
                try {
                    tmp.deleteFile(linkName); // not placed: remove our temp link
                } catch (NoSuchFileException gone) {
                    // the rename happened after all (a failure closing a directory)
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
                throw e;
            }
        }
    }

    /**
     * Changes only metadata of an existing entry (touch / chmod), never following a symlink. For
     * a file: mtime, and the execute bits (set for owner and for whoever may read, or cleared for
     * all; other bits kept). For a directory or symlink: mtime only. The change is flushed by the
     * next {@link #syncDirectories}.
     *
     * @param expected what the caller last saw at {@code rel}
     * @throws LocalChangeException if {@code rel} is not as expected
     */
    public LocalFile setMetadata(String rel, long mtimeNanos, boolean executable, LocalFile expected)
            throws IOException {
        Objects.requireNonNull(expected, "expected: setMetadata changes an existing entry; pass what the last scan saw");
        List<String> parts = parse(rel);
        try (OpenDir parent = walker.open(parts, parts.size() - 1, false, rel)) {
            Path name = parent == null ? null : parent.findExisting(last(parts)).orElse(null);
            if (name == null) {
                throw new LocalChangeException(rel, expected, null);
            }
            Path path = parent.path.resolve(name);
            Stat.Observed actual = Stat.observe(path, rel);
            checkTarget(rel, expected, false, actual);
            FileTime mtime = Stat.fileTime(mtimeNanos);
            switch (actual.file().kind()) {
                case FILE -> {
                    PosixFileAttributeView view = parent.view(name);
                    Set<PosixFilePermission> now = view.readAttributes().permissions();
                    Set<PosixFilePermission> want = withExec(now, executable);
                    if (!want.equals(now)) {
                        view.setPermissions(want);
                    }
                    view.setTimes(mtime, null, null);
                    pending.file(path);
                }
                case DIRECTORY -> {
                    try (OpenDir dir = walker.descend(parent, last(parts), true, false, rel, rel)) {
                        if (dir == null) {
                            throw new LocalChangeException(rel, expected, null);
                        }
                        dir.selfView().setTimes(mtime, null, null);
                        pending.dir(dir.path);
                    }
                }
                case SYMLINK -> {
                    Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .setTimes(mtime, null, null);
                    pending.dir(parent.path);
                }
            }
            return statNow(path, rel);
        }
    }

    /**
     * Deletes the file or symlink at {@code rel} (the link itself, never its target), or the
     * directory if it is empty.
     *
     * @param expected what the caller last saw at {@code rel}
     * @return true if nothing is there any more (including when it was already gone); false if it
     *         is a directory that is not empty (nothing was deleted)
     * @throws LocalChangeException if {@code rel} is there but not as expected
     */
    public boolean delete(String rel, LocalFile expected) throws IOException {
        Objects.requireNonNull(expected, "expected: pass what the last scan saw at the path to delete");
        List<String> parts = parse(rel);
        try (OpenDir parent = walker.open(parts, parts.size() - 1, false, rel)) {
            Path name = parent == null ? null : parent.findExisting(last(parts)).orElse(null);
            if (name == null) {
                return true;
            }
            Stat.Observed actual = Stat.observe(parent.path.resolve(name), rel);
            if (actual == null) {
                return true;
            }
            checkTarget(rel, expected, false, actual);
            beforeChange.accept(rel);
            try {
                if (actual.file().isDirectory()) {
                    parent.deleteDirectory(name);
                } else {
                    parent.deleteFile(name);
                }
            } catch (DirectoryNotEmptyException e) {
                return false;
            } catch (NoSuchFileException e) {
                return true;
            }
            pending.dir(parent.path);
            return true;
        }
    }

    /**
     * Flushes the batch: fsyncs every file whose metadata {@link #setMetadata} changed, then every
     * directory that gained, lost or renamed an entry (or had its mtime set), each once. Tries
     * them all; entries that fail stay pending for the next call.
     *
     * @return the number of directories synced
     * @throws java.io.SyncFailedException if any fsync failed: the last changes may not survive a crash
     */
    public int syncDirectories() throws IOException {
        return pending.flush();
    }

    /**
     * Removes what is in the temp area, except what {@code keep} accepts (e.g. the partial files of
     * downloads that will resume). Call it when no commit is in flight, or keep the in-flight temps.
     *
     * @return how many entries were removed
     */
    public int cleanTemp(Predicate<Path> keep) throws IOException {
        return tempArea.clean(keep);
    }

    /** The name to use at the target: an existing other Unicode spelling of it when asked. */
    private static Path target(OpenDir parent, String last, boolean lookup) throws IOException {
        return lookup ? parent.findExisting(last).orElse(parent.name(last)) : parent.name(last);
    }

    /** Throws unless what is at {@code rel} is what the caller may replace or change. */
    private static void checkTarget(String rel, LocalFile expected, boolean replaceAny, Stat.Observed actual)
            throws FolderException {
        if (actual == null) {
            if (expected != null) {
                throw new LocalChangeException(rel, expected, null);
            }
            return;
        }
        if (actual.file() == null) {
            throw new LocalChangeException(rel, expected, null, actual.describe());
        }
        LocalFile a = actual.file();
        if (!replaceAny) {
            if (expected == null) {
                throw new LocalChangeException(rel, null, a);
            }
            if (!Stat.matches(expected, a)) {
                throw new LocalChangeException(rel, expected, a);
            }
        }
    }

    private static void checkNotDirectory(String rel, Stat.Observed actual) throws UnsafeWriteException {
        if (actual != null && actual.file() != null && actual.file().isDirectory()) {
            throw new UnsafeWriteException(rel, "Refusing to write '" + rel + "': it is a directory, and a file"
                    + " never replaces a directory. Delete it first (delete() removes it once empty)");
        }
    }

    private static Path symlinkTarget(String rel, String target) {
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("the symlink '" + rel + "' needs a non-empty target");
        }
        String bad = Stat.unsupportedTarget(target);
        if (bad != null) {
            throw new IllegalArgumentException("cannot create the symlink '" + rel + "': " + bad);
        }
        try {
            return Path.of(target);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("cannot create the symlink '" + rel + "': " + e.getMessage(), e);
        }
    }

    private static Set<PosixFilePermission> withExec(Set<PosixFilePermission> now, boolean executable) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        p.addAll(now);
        p.removeAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE));
        if (executable) {
            p.add(PosixFilePermission.OWNER_EXECUTE);
            if (p.contains(PosixFilePermission.GROUP_READ)) {
                p.add(PosixFilePermission.GROUP_EXECUTE);
            }
            if (p.contains(PosixFilePermission.OTHERS_READ)) {
                p.add(PosixFilePermission.OTHERS_EXECUTE);
            }
        }
        return p;
    }

    private static LocalFile statNow(Path p, String rel) throws IOException {
        Stat.Observed o = Stat.observe(p, rel);
        if (o == null || o.file() == null) {
            throw new LocalChangeException(rel, null, null, o == null ? "nothing: it was removed right after being written"
                    : o.describe() + " right after being written");
        }
        return o.file();
    }

    private List<String> parse(String rel) throws UnsafeWriteException {
        try {
            return Names.split(rel);
        } catch (Names.InvalidPath e) {
            throw new UnsafeWriteException(rel, "Refusing to write '" + rel + "': " + e.getMessage()
                    + "; nothing was written (the engine must validate paths before applying them)");
        }
    }

    private static String last(List<String> parts) {
        return parts.get(parts.size() - 1);
    }
}
