package org.savesync.core.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * An independent description of a directory tree, for asserting what a test built or synced. It
 * is read straight from the file system with {@link Files#walkFileTree} — never from engine state
 * or the code under test — without following symlinks, skipping the top-level {@code .savesync}.
 *
 * <p>Per relative {@code '/'}-separated path (names exactly as on disk): type, size and SHA-256
 * of a file's content, mtime in nanoseconds (files only, by default: syncing moves directory
 * mtimes, and symlink mtimes are not synced), the owner-exec bit of a file, a symlink's target.
 * Build the manifests you compare with the same {@link Options}.
 */
public final class Manifest {
    /** Lines of diff shown by {@link #assertSame}. */
    public static final int MAX_DIFF_LINES = 50;

    /** The type of an entry; {@code OTHER} is a fifo, socket or device. */
    public enum Type { FILE, DIR, SYMLINK, OTHER }

    /**
     * One path. Fields that do not apply (or that the options exclude) are -1 / false / null.
     *
     * @param mtimeNanos -1 when not recorded
     */
    public record Entry(Type type, long size, String sha256, long mtimeNanos, boolean executable, String symlinkTarget) {
        @Override
        public String toString() {
            return switch (type) {
                case FILE -> "file " + size + " B sha256=" + sha256.substring(0, 12) + (executable ? " +x" : "")
                        + (mtimeNanos >= 0 ? " mtime=" + mtimeNanos : "");
                case DIR -> "dir" + (mtimeNanos >= 0 ? " mtime=" + mtimeNanos : "");
                case SYMLINK -> "symlink -> " + symlinkTarget + (mtimeNanos >= 0 ? " mtime=" + mtimeNanos : "");
                case OTHER -> "special file";
            };
        }
    }

    /**
     * What to record.
     *
     * @param fileMtimes    record files' mtimes (default true)
     * @param dirMtimes     record directories' mtimes (default false)
     * @param symlinkMtimes record symlinks' own mtimes (default false)
     */
    public record Options(boolean fileMtimes, boolean dirMtimes, boolean symlinkMtimes) {
        public static final Options DEFAULT = new Options(true, false, false);
        /** Content, types, exec bits and link targets only. */
        public static final Options NO_MTIMES = new Options(false, false, false);
        /** Every mtime, directories' and symlinks' included. */
        public static final Options ALL_MTIMES = new Options(true, true, true);

        public Options withDirMtimes(boolean on) {
            return new Options(fileMtimes, on, symlinkMtimes);
        }
    }

    private final Map<String, Entry> entries;
    private final Options options;

    private Manifest(Map<String, Entry> entries, Options options) {
        this.entries = Collections.unmodifiableMap(entries);
        this.options = options;
    }

    public static Manifest of(Path root) {
        return of(root, Options.DEFAULT);
    }

    public static Manifest of(Path root, Options options) {
        Map<String, Entry> entries = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (isReserved(root, dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    entries.put(rel(root, dir), new Entry(Type.DIR, -1, null,
                            options.dirMtimes() ? nanos(attrs) : -1, false, null));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (isReserved(root, file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    entries.put(rel(root, file), entry(file, attrs, options));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a manifest of " + root, e);
        }
        return new Manifest(entries, options);
    }

    private static Entry entry(Path file, BasicFileAttributes attrs, Options options) throws IOException {
        if (attrs.isSymbolicLink()) {
            return new Entry(Type.SYMLINK, -1, null, options.symlinkMtimes() ? nanos(attrs) : -1, false,
                    Files.readSymbolicLink(file).toString());
        }
        if (attrs.isRegularFile()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return new Entry(Type.FILE, attrs.size(), sha256(file), options.fileMtimes() ? nanos(attrs) : -1,
                    perms.contains(PosixFilePermission.OWNER_EXECUTE), null);
        }
        return new Entry(Type.OTHER, -1, null, -1, false, null);
    }

    private static boolean isReserved(Path root, Path p) {
        return p.getParent() != null && p.getParent().equals(root) && p.getFileName().toString().equals(".savesync");
    }

    private static String rel(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(part);
        }
        return b.toString();
    }

    private static long nanos(BasicFileAttributes attrs) {
        return attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    /** SHA-256 of a file's content, in lowercase hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Entry get(String path) {
        return entries.get(path);
    }

    public Set<String> paths() {
        return entries.keySet();
    }

    public int size() {
        return entries.size();
    }

    public Options options() {
        return options;
    }

    /**
     * The differences from this (expected) to {@code other} (actual), one per line: {@code missing}
     * (here, not there), {@code extra} (there, not here), or {@code different} with each field that
     * differs. Empty when equal.
     */
    public String diff(Manifest other) {
        List<String> lines = new ArrayList<>();
        if (!options.equals(other.options)) {
            lines.add("options differ: " + options + " vs " + other.options);
        }
        Set<String> all = new TreeSet<>(entries.keySet());
        all.addAll(other.entries.keySet());
        for (String p : all) {
            Entry a = entries.get(p);
            Entry b = other.entries.get(p);
            if (b == null) {
                lines.add("missing:   " + p + " (" + a + ")");
            } else if (a == null) {
                lines.add("extra:     " + p + " (" + b + ")");
            } else if (!a.equals(b)) {
                lines.add("different: " + p + ": " + fieldDiff(a, b));
            }
        }
        return String.join("\n", lines);
    }

    private static String fieldDiff(Entry a, Entry b) {
        List<String> d = new ArrayList<>();
        if (a.type() != b.type()) {
            d.add("type " + a.type() + " != " + b.type());
        }
        if (a.size() != b.size()) {
            d.add("size " + a.size() + " != " + b.size());
        }
        if (!Objects.equals(a.sha256(), b.sha256())) {
            d.add("content sha256 " + a.sha256() + " != " + b.sha256());
        }
        if (a.mtimeNanos() != b.mtimeNanos()) {
            d.add("mtime " + a.mtimeNanos() + " != " + b.mtimeNanos() + " ns");
        }
        if (a.executable() != b.executable()) {
            d.add("exec " + a.executable() + " != " + b.executable());
        }
        if (!Objects.equals(a.symlinkTarget(), b.symlinkTarget())) {
            d.add("symlink target '" + a.symlinkTarget() + "' != '" + b.symlinkTarget() + "'");
        }
        return String.join(", ", d);
    }

    /** Throws an {@link AssertionError} listing the first {@value #MAX_DIFF_LINES} differences. */
    public static void assertSame(Manifest expected, Manifest actual) {
        String diff = expected.diff(actual);
        if (diff.isEmpty()) {
            return;
        }
        List<String> lines = diff.lines().toList();
        StringBuilder b = new StringBuilder("trees differ (expected -> actual), ")
                .append(lines.size()).append(" difference(s):\n");
        lines.stream().limit(MAX_DIFF_LINES).forEach(l -> b.append("  ").append(l).append('\n'));
        if (lines.size() > MAX_DIFF_LINES) {
            b.append("  … ").append(lines.size() - MAX_DIFF_LINES).append(" more\n");
        }
        throw new AssertionError(b.toString());
    }

    /** Builds both manifests with the given options and asserts they are the same. */
    public static void assertSameTree(Path expected, Path actual, Options options) {
        assertSame(of(expected, options), of(actual, options));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m && entries.equals(m.entries) && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        entries.forEach((p, e) -> b.append(p).append(": ").append(e).append('\n'));
        return b.toString();
    }
}
