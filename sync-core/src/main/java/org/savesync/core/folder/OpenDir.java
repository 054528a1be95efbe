package org.savesync.core.folder;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An open directory file descriptor (a {@link SecureDirectoryStream}). Children are opened with
 * {@code openat(O_NOFOLLOW)} relative to it, and stat'ed, renamed and unlinked with the
 * {@code *at} calls, so once a directory is open nothing done through it can be redirected by a
 * symlink swapped into a path component above it.
 */
final class OpenDir implements Closeable {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final SecureDirectoryStream<Path> ds;
    /** The directory's path on disk (made of on-disk names), for messages and path-based calls. */
    final Path path;

    private OpenDir(SecureDirectoryStream<Path> ds, Path path) {
        this.ds = ds;
        this.path = path;
    }

    /**
     * Opens {@code dir} itself without following it if it is a symlink (its parent is opened by
     * path, then {@code dir} relative to it with {@code O_NOFOLLOW}).
     */
    static OpenDir openNoFollow(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            return new OpenDir(secure(Files.newDirectoryStream(abs), abs), abs);
        }
        try (OpenDir p = new OpenDir(secure(Files.newDirectoryStream(parent), parent), parent)) {
            return p.openChild(abs.getFileName());
        }
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> s, Path dir) throws IOException {
        if (s instanceof SecureDirectoryStream<Path> sds) {
            return sds;
        }
        s.close();
        throw new FolderUnavailableException("the file system of " + dir + " offers no secure directory streams"
                + " (openat/renameat); SaveSync's folder code runs on Linux only");
    }

    /**
     * Opens a child directory with {@code O_NOFOLLOW}. Throws {@link java.nio.file.NotDirectoryException}
     * if it is not a directory and a {@link java.nio.file.FileSystemException} ("too many levels of
     * symbolic links") if it is a symlink.
     */
    OpenDir openChild(Path name) throws IOException {
        return new OpenDir(ds.newDirectoryStream(name, NOFOLLOW), path.resolve(name));
    }

    /** fstatat(AT_SYMLINK_NOFOLLOW) of a child; empty when it does not exist. */
    Optional<BasicFileAttributes> lstat(Path name) throws IOException {
        try {
            return Optional.of(ds.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Every name in the directory, read through a fresh descriptor of it. */
    List<Path> names() throws IOException {
        List<Path> names = new ArrayList<>();
        try (DirectoryStream<Path> s = ds.newDirectoryStream(path.getFileSystem().getPath("."), NOFOLLOW)) {
            for (Path p : s) {
                names.add(p.getFileName());
            }
        }
        return names;
    }

    /**
     * The on-disk name of the child whose NFC form is {@code nfcName}: the name itself if it
     * exists, else another spelling that normalises to it (e.g. NFD names written on macOS), the
     * smallest one if there are several — the same choice {@link FolderScanner} makes. Empty if
     * none exists.
     */
    Optional<Path> findExisting(String nfcName) throws IOException {
        Path exact = name(nfcName);
        if (lstat(exact).isPresent()) {
            return Optional.of(exact);
        }
        Path best = null;
        for (Path n : names()) {
            String s = n.toString();
            if (Names.roundTrips(n) && Names.nfc(s).equals(nfcName)
                    && (best == null || Names.comparePaths(s, best.toString()) < 0)) {
                best = n;
            }
        }
        return Optional.ofNullable(best);
    }

    Path name(String name) {
        return path.getFileSystem().getPath(name);
    }

    /** renameat(this, name, target, targetName): atomic, replaces a file or symlink at the target. */
    void move(Path name, OpenDir target, Path targetName) throws IOException {
        ds.move(name, target.ds, targetName);
    }

    void deleteFile(Path name) throws IOException {
        ds.deleteFile(name);
    }

    void deleteDirectory(Path name) throws IOException {
        ds.deleteDirectory(name);
    }

    /** Attributes of a child, never following it; setting them opens it with {@code O_NOFOLLOW}. */
    PosixFileAttributeView view(Path name) {
        return ds.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW);
    }

    /** Attributes of this directory itself, through its descriptor. */
    BasicFileAttributeView selfView() {
        return ds.getFileAttributeView(BasicFileAttributeView.class);
    }

    @Override
    public void close() throws IOException {
        ds.close();
    }
}
