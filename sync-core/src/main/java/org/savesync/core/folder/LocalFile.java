package org.savesync.core.folder;

import java.util.Objects;

/**
 * What the local file system says about one path of a synced folder, read without following
 * symlinks.
 *
 * @param path          relative, {@code '/'}-separated, NFC-normalised path (never empty)
 * @param kind          file, directory or symlink (other types are never reported)
 * @param size          bytes of a {@link Kind#FILE}; 0 for directories and symlinks
 * @param mtimeNanos    last modification, nanoseconds since the epoch, at the file system's precision
 * @param executable    the owner-execute bit of a {@link Kind#FILE}; false for directories and symlinks
 * @param symlinkTarget the raw link text of a {@link Kind#SYMLINK} (as Java reads it, redundant
 *                      {@code '/'} removed); {@code null} otherwise
 * @param inode         the inode number ({@code unix:ino})
 * @param ctimeNanos    last status change, nanoseconds since the epoch ({@code unix:ctime}), or -1
 */
public record LocalFile(
        String path,
        Kind kind,
        long size,
        long mtimeNanos,
        boolean executable,
        String symlinkTarget,
        long inode,
        long ctimeNanos) {

    /** The file types a synced folder can hold. Fifos, sockets and devices are skipped by scans. */
    public enum Kind {
        FILE,
        DIRECTORY,
        SYMLINK
    }

    public LocalFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a LocalFile's path is relative to the folder root and never empty");
        }
        if ((kind == Kind.SYMLINK) != (symlinkTarget != null)) {
            throw new IllegalArgumentException("symlinkTarget is required for a SYMLINK and forbidden otherwise: "
                    + kind + " " + path + " -> " + symlinkTarget);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + path);
        }
    }

    /**
     * True when {@code o} describes the same, unchanged file system object: same kind, size,
     * mtime, inode, exec bit and symlink target. The path is not compared (a rename keeps the
     * inode), nor is ctime (it moves on every link, chmod or rename, including our own). The exec
     * bit is compared too because {@code chmod +x} changes neither mtime nor size.
     */
    public boolean sameStat(LocalFile o) {
        return o != null
                && kind == o.kind
                && size == o.size
                && mtimeNanos == o.mtimeNanos
                && inode == o.inode
                && executable == o.executable
                && Objects.equals(symlinkTarget, o.symlinkTarget);
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    public boolean isSymlink() {
        return kind == Kind.SYMLINK;
    }
}
