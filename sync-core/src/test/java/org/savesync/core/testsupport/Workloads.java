package org.savesync.core.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Big deterministic test inputs, generated once and shared by every test (and every test JVM)
 * on the machine through a cache directory: {@code savesync.workloads.dir} if set, else
 * {@code <module>/target/workloads}.
 *
 * <p>Content of a random file: the little-endian bytes of successive
 * {@code new SplittableRandom(seed).nextLong()} values, cut at the size — so
 * {@link #randomBytes(long, int)} reproduces any prefix independently.
 *
 * <p>Cache protocol: a workload is generated under a unique temporary name (files fsynced) and
 * renamed into place atomically; then a marker {@code <name>.complete} recording its parameters
 * is written the same way. It is reused only if its marker matches (and a file's size is right),
 * so a crash mid-way regenerates it. Generation holds a lock file {@code <name>.lock}: a second
 * JVM asking for the same workload waits and then reuses it instead of racing.
 *
 * <p>Files handed out may be shared with other tests: treat them as read-only (link or copy them
 * into a test's own directory with {@link #hardlinkOrCopy}).
 */
public final class Workloads {
    /** Seed of {@link #oneGiBFile()}. */
    public static final long ONE_GIB_SEED = 0x5A4E_5359_4E43_0001L;
    public static final long ONE_GIB = 1L << 30;

    private static final int BUFFER = 4 << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    private static final int FILES_PER_DIR = 1000;
    private static final long SMALL_FILES_EPOCH_SECONDS = 1_700_000_000L;
    private static final Map<String, String> REQUESTED = new ConcurrentHashMap<>();

    private Workloads() {
    }

    /** The shared cache directory (created on demand). */
    public static Path cacheDir() {
        String configured = System.getProperty("savesync.workloads.dir");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : moduleDir().resolve("target").resolve("workloads");
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the workloads directory " + dir, e);
        }
    }

    /** The module under test: Surefire's {@code basedir}, else the working directory. */
    public static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** A 1 GiB file of deterministic pseudo-random bytes (seed {@link #ONE_GIB_SEED}). */
    public static Path oneGiBFile() {
        return randomFile("one-gib.bin", ONE_GIB, ONE_GIB_SEED);
    }

    /**
     * A cached file of {@code size} deterministic pseudo-random bytes from {@code seed}. A name
     * stands for one (size, seed) in a JVM; asking for it with others is a test bug.
     */
    public static Path randomFile(String name, long size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        return cached(name, "random size=" + size + " seed=" + seed, tmp -> writeRandom(tmp, size, seed));
    }

    /**
     * A cached, read-only tree made by {@link #writeSmallFiles}{@code (dir, count, size, seed)}:
     * for tests that only read a big tree (scanning, hashing). Copy it before changing anything.
     */
    public static Path smallFilesTree(String name, int count, int size, long seed) {
        return cached(name, "small-files count=" + count + " size=" + size + " seed=" + seed, tmp -> {
            Files.createDirectory(tmp);
            writeSmallFiles(tmp, count, size, seed);
            fsync(tmp);
        });
    }

    /**
     * The cache protocol: reuse {@code name} if its marker records {@code params}; else, holding
     * a lock file (so a second JVM waits instead of generating too), run {@code generate} on a
     * unique temporary path, rename it into place, then write the marker (fsynced, renamed).
     */
    private static synchronized Path cached(String name, String params, Generator generate) {
        if (!NAME.matcher(name).matches() || name.contains(".complete") || name.contains(".tmp-")) {
            throw new IllegalArgumentException("workload names are [A-Za-z0-9._-], got '" + name + "'");
        }
        String marked = "v1 " + params + "\n";
        String before = REQUESTED.putIfAbsent(name, marked);
        if (before != null && !before.equals(marked)) {
            throw new IllegalArgumentException("workload '" + name + "' was already requested as " + before.strip()
                    + ", now as " + marked.strip() + "; use another name");
        }
        Path dir = cacheDir();
        Path target = dir.resolve(name);
        Path marker = dir.resolve(name + ".complete");
        try {
            if (isComplete(target, marker, marked)) {
                return target;
            }
            // Another JVM may be generating the same workload: wait for it rather than race it.
            try (FileChannel lockFile = FileChannel.open(dir.resolve(name + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (isComplete(target, marker, marked)) {
                    return target;
                }
                Files.deleteIfExists(marker);
                Path tmp = uniqueSibling(target, ".tmp-");
                try {
                    generate.into(tmp);
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        Path old = uniqueSibling(target, ".old-");
                        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                        deleteTree(old);
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    deleteTree(tmp);
                }
                Path mtmp = uniqueSibling(marker, ".tmp-");
                try {
                    Files.writeString(mtmp, marked, StandardCharsets.US_ASCII);
                    fsync(mtmp);
                    Files.move(mtmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(mtmp);
                }
                fsync(dir);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the workload " + target, e);
        }
    }

    private static Path uniqueSibling(Path p, String infix) {
        return p.resolveSibling(p.getFileName() + infix + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    @FunctionalInterface
    private interface Generator {
        void into(Path tmp) throws IOException;
    }

    /** The marker matches and the file (if a file) has the size it records. */
    private static boolean isComplete(Path target, Path marker, String marked) throws IOException {
        try {
            if (!Files.readString(marker, StandardCharsets.US_ASCII).equals(marked)) {
                return false;
            }
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int at = marked.indexOf(" size=");
            return a.isDirectory() || (marked.startsWith("v1 random") && a.isRegularFile()
                    && a.size() == Long.parseLong(marked.substring(at + 6, marked.indexOf(' ', at + 6))));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long left = size;
            while (left > 0) {
                buf.clear();
                while (buf.remaining() >= Long.BYTES) {
                    buf.putLong(random.nextLong());
                }
                buf.flip();
                if (left < buf.remaining()) {
                    buf.limit((int) left);
                }
                left -= buf.remaining();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(true);
        }
    }

    /** The first {@code size} bytes of the stream {@link #randomFile} writes for {@code seed}. */
    public static byte[] randomBytes(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate((size + 7) & ~7).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            buf.putLong(random.nextLong());
        }
        byte[] out = new byte[size];
        System.arraycopy(buf.array(), 0, out, 0, size);
        return out;
    }

    /**
     * Makes {@code dst} have {@code src}'s content: a hard link when both are on one file system
     * (instant, no space; the two names then share one inode, so never write through either),
     * else a copy with its attributes.
     */
    public static void hardlinkOrCopy(Path src, Path dst) {
        try {
            Files.createDirectories(dst.toAbsolutePath().getParent());
            try {
                Files.createLink(dst, src);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof java.nio.file.FileAlreadyExistsException) {
                    throw e;
                }
                Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link or copy " + src + " to " + dst, e);
        }
    }

    /**
     * Writes {@code count} files of {@code size} deterministic bytes each under {@code dir}, at
     * most {@value #FILES_PER_DIR} per directory: file {@code i} is
     * {@code g<i/100000>/s<(i/1000)%100>/f<i>.bin} (zero-padded), its content the stream of seed
     * {@code seed + i} (see {@link #randomBytes}), its mtime fixed
     * ({@code 1700000000 + i} s + {@code i} ns). The same arguments give the same tree.
     *
     * @return the relative paths written, in order
     */
    public static List<String> writeSmallFiles(Path dir, int count, int size, long seed) {
        List<String> written = new ArrayList<>(count);
        ByteBuffer buf = ByteBuffer.allocate((size + 7) & ~7).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Path current = null;
            for (int i = 0; i < count; i++) {
                String sub = String.format("g%02d/s%02d", i / 100_000, (i / FILES_PER_DIR) % 100);
                Path d = dir.resolve(sub);
                if (!d.equals(current)) {
                    Files.createDirectories(d);
                    current = d;
                }
                String name = String.format("f%07d.bin", i);
                SplittableRandom random = new SplittableRandom(seed + i);
                buf.clear();
                while (buf.hasRemaining()) {
                    buf.putLong(random.nextLong());
                }
                buf.position(0).limit(size);
                Path f = d.resolve(name);
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
                Files.setLastModifiedTime(f, FileTime.from((SMALL_FILES_EPOCH_SECONDS + i) * 1_000_000_000L + i,
                        TimeUnit.NANOSECONDS));
                written.add(sub + "/" + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write small files into " + dir, e);
        }
        return written;
    }

    /** A fresh directory under {@code <module>/target/test-tmp} (same file system as the workloads). */
    public static Path tempDir(String prefix) {
        try {
            Path base = Files.createDirectories(moduleDir().resolve("target").resolve("test-tmp"));
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory", e);
        }
    }

    /**
     * Deletes a tree without following symlinks, first giving its owner full access to each
     * directory (tests may have made some unreadable or read-only). Missing is fine.
     */
    public static void deleteTree(Path root) {
        try {
            delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static void delete(Path p) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (a.isDirectory()) {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            perms.addAll(List.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            Files.setPosixFilePermissions(p, perms);
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                s.forEach(children::add);
            }
            for (Path c : children) {
                delete(c);
            }
        }
        Files.deleteIfExists(p);
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
