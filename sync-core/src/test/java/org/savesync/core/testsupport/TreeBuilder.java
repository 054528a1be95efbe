package org.savesync.core.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Builds small trees for tests, fluently: {@code TreeBuilder.at(dir).dir("a").file("a/b.txt", "hi")}.
 * Parents are created as needed; paths are relative, {@code '/'}-separated. Everything is written
 * by path (this is test code building inputs, not the code under test).
 */
public final class TreeBuilder {
    /** A nested name in non-Latin scripts, NFC. */
    public static final String UNICODE_FILE = "Ünïcødé/日本語.txt";
    /** A name with an emoji (a surrogate pair in UTF-16). */
    public static final String EMOJI_FILE = "emoji 😀 party.txt";

    private final Path root;

    private TreeBuilder(Path root) {
        this.root = root;
    }

    /** Builds under {@code root}, creating it if missing. */
    public static TreeBuilder at(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeBuilder(root);
    }

    public Path root() {
        return root;
    }

    public Path path(String rel) {
        return root.resolve(rel);
    }

    public TreeBuilder dir(String rel) {
        return run(() -> Files.createDirectories(path(rel)));
    }

    public TreeBuilder emptyFile(String rel) {
        return file(rel, new byte[0]);
    }

    /** A file with UTF-8 text. */
    public TreeBuilder file(String rel, String content) {
        return file(rel, content.getBytes(StandardCharsets.UTF_8));
    }

    public TreeBuilder file(String rel, byte[] content) {
        return run(() -> {
            parents(rel);
            Files.write(path(rel), content);
        });
    }

    /** A file with UTF-8 text and the given mtime (ns since the epoch). */
    public TreeBuilder file(String rel, String content, long mtimeNanos) {
        return file(rel, content).mtime(rel, mtimeNanos);
    }

    /** {@code size} deterministic bytes (see {@link Workloads#randomBytes}). */
    public TreeBuilder randomFile(String rel, int size, long seed) {
        return file(rel, Workloads.randomBytes(seed, size));
    }

    /** A file with mode 0755. */
    public TreeBuilder executable(String rel, String content) {
        return file(rel, content).run(() ->
                Files.setPosixFilePermissions(path(rel), PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    /** A symlink at {@code rel} whose target text is exactly {@code target} (relative or not). */
    public TreeBuilder symlink(String rel, String target) {
        return run(() -> {
            parents(rel);
            Files.createSymbolicLink(path(rel), Path.of(target));
        });
    }

    /** Sets the mtime of {@code rel} itself (a symlink's own, not its target's). */
    public TreeBuilder mtime(String rel, long mtimeNanos) {
        return run(() -> Files.getFileAttributeView(path(rel), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS), null, null));
    }

    /** A Unix domain socket file at {@code rel} (a "special file" no sync may copy). */
    public TreeBuilder socket(String rel) {
        return run(() -> {
            parents(rel);
            try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.bind(UnixDomainSocketAddress.of(path(rel)));
            }
        });
    }

    /**
     * A mix used by many tests: nested directories, an empty file, an executable, unicode and emoji
     * names, a relative symlink, an empty directory and a file with a fixed nanosecond mtime.
     */
    public TreeBuilder sample() {
        return dir("docs/empty")
                .file("docs/readme.txt", "hello\n")
                .emptyFile("docs/empty.txt")
                .executable("bin/run.sh", "#!/bin/sh\necho hi\n")
                .file(UNICODE_FILE, "こんにちは\n")
                .file(EMOJI_FILE, "🎉\n")
                .symlink("docs/link-to-readme", "readme.txt")
                .file("old.txt", "old\n", 1_500_000_000_123_456_789L);
    }

    /**
     * Copies the tree at {@code src} into {@code dst} (created), keeping symlinks as symlinks, and
     * modes and mtimes — directories' too — so that manifests of both match with any options.
     */
    public static TreeBuilder copyOf(Path src, Path dst) {
        TreeBuilder b = at(dst);
        return b.run(() -> Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Path to = dst.resolve(src.relativize(f).toString());
                Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isSymbolicLink()) { // COPY_ATTRIBUTES leaves a link's own mtime behind
                    Files.getFileAttributeView(to, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .setTimes(attrs.lastModifiedTime(), null, null);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Path to = dst.resolve(src.relativize(d).toString());
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(d));
                Files.setLastModifiedTime(to, Files.getLastModifiedTime(d));
                return FileVisitResult.CONTINUE;
            }
        }));
    }

    private void parents(String rel) throws IOException {
        Path parent = path(rel).getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private TreeBuilder run(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
