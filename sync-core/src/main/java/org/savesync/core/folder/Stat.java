package org.savesync.core.folder;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code lstat} of a path, read through the JDK's Linux {@code unix:} attribute view so that
 * the inode and ctime come with it.
 */
final class Stat {
    private static final String ATTRS = "unix:mode,ino,ctime,size,lastModifiedTime";

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IXUSR = 0100;

    /** Every file type {@code lstat} can report. */
    enum Type {
        FILE, DIRECTORY, SYMLINK, FIFO, SOCKET, CHAR_DEVICE, BLOCK_DEVICE, UNKNOWN;

        boolean syncable() {
            return this == FILE || this == DIRECTORY || this == SYMLINK;
        }
    }

    /** What is at a path: its type, and as a {@link LocalFile} when it is syncable. */
    record Observed(Type type, LocalFile file) {
        String describe() {
            return file != null ? null : "a " + type.name().toLowerCase().replace('_', ' ');
        }
    }

    private Stat() {
    }

    /**
     * Refuses to run where names or inodes cannot be read faithfully: the JVM must decode file
     * names as UTF-8 and offer the {@code unix} attribute view (Linux).
     */
    static void checkPlatform() throws FolderUnavailableException {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        boolean utf8;
        try {
            utf8 = !jnu.isEmpty() && Charset.forName(jnu).name().equals("UTF-8");
        } catch (RuntimeException e) {
            utf8 = false;
        }
        if (!utf8) {
            throw new FolderUnavailableException("this JVM decodes file names as '" + jnu
                    + "', so non-ASCII names would be mangled; start it with a UTF-8 locale (e.g. LANG=C.UTF-8)");
        }
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            throw new FolderUnavailableException("the file system has no 'unix' attribute view (inode numbers);"
                    + " SaveSync's folder code runs on Linux only");
        }
    }

    /** The path's type and metadata without following a symlink, or null when nothing is there. */
    static Observed observe(Path p, String rel) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        int mode = (Integer) a.get("mode");
        Type type = type(mode);
        if (!type.syncable()) {
            return new Observed(type, null);
        }
        long mtime = nanos((FileTime) a.get("lastModifiedTime"));
        long ctime = a.get("ctime") instanceof FileTime ft ? nanos(ft) : -1;
        long ino = (Long) a.get("ino");
        LocalFile f = switch (type) {
            case FILE -> new LocalFile(rel, LocalFile.Kind.FILE, (Long) a.get("size"), mtime,
                    (mode & S_IXUSR) != 0, null, ino, ctime);
            case DIRECTORY -> new LocalFile(rel, LocalFile.Kind.DIRECTORY, 0, mtime, false, null, ino, ctime);
            case SYMLINK -> {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (NoSuchFileException e) {
                    yield null;
                }
                yield new LocalFile(rel, LocalFile.Kind.SYMLINK, 0, mtime, false, target, ino, ctime);
            }
            default -> throw new AssertionError(type);
        };
        return f == null ? null : new Observed(type, f);
    }

    static Type type(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFREG -> Type.FILE;
            case S_IFDIR -> Type.DIRECTORY;
            case S_IFLNK -> Type.SYMLINK;
            case S_IFIFO -> Type.FIFO;
            case S_IFSOCK -> Type.SOCKET;
            case S_IFCHR -> Type.CHAR_DEVICE;
            case S_IFBLK -> Type.BLOCK_DEVICE;
            default -> Type.UNKNOWN;
        };
    }

    /**
     * Whether {@code actual} is still the object the caller saw as {@code expected}. A directory
     * is the same directory while its inode is (its mtime moves whenever we write into it);
     * anything else must be {@link LocalFile#sameStat unchanged}.
     */
    static boolean matches(LocalFile expected, LocalFile actual) {
        if (actual == null || expected.kind() != actual.kind()) {
            return false;
        }
        if (expected.kind() == LocalFile.Kind.DIRECTORY) {
            return expected.inode() == actual.inode();
        }
        return expected.sameStat(actual);
    }

    static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    static FileTime fileTime(long nanos) {
        return FileTime.from(nanos, TimeUnit.NANOSECONDS);
    }

    /** Null if the link text can be synced, else why not. */
    static String unsupportedTarget(String target) {
        if (target.indexOf('\uFFFD') >= 0) {
            return "the link's target is not valid UTF-8";
        }
        for (int i = 0; i < target.length(); i++) {
            if (Character.isISOControl(target.charAt(i))) {
                return String.format("the link's target contains the control character U+%04X", (int) target.charAt(i));
            }
        }
        return null;
    }
}
