package org.savesync.core.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers for this package's tests. */
final class FolderTestSupport {
    private FolderTestSupport() {
    }

    static long inode(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    static long mtimeNanos(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
    }

    /** Creates a file whose name has the byte 0xFF (not UTF-8), which Java cannot spell itself. */
    static void createNonUtf8File(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "touch \"$(printf 'bad\\377name')\"")
                .directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("could not create a non-UTF-8 name in " + dir);
        }
    }

    /** Every path under {@code dir} (recursively, not following links), relative. */
    static List<String> listAll(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (var s = Files.walk(dir)) {
            s.filter(p -> !p.equals(dir)).forEach(p -> out.add(dir.relativize(p).toString()));
        }
        return out;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
