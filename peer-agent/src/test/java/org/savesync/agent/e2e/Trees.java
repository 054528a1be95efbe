package org.savesync.agent.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.savesync.core.testsupport.Manifest;

/**
 * Comparing folders the way a user would: by {@link Manifest}s the test builds from the disk
 * (path, type, size, SHA-256, file mtime, exec bit, link target), never by the agents' index or
 * status. Paths a test leaves out (an ignore file, ignored paths) are named by a predicate.
 */
final class Trees {
    /** Leaves nothing out. */
    static final Predicate<String> NOTHING = p -> false;
    private static final int MAX_DIFF_LINES = 40;

    private Trees() {
    }

    /** The manifest of {@code root} without the paths {@code excluded} names. */
    static Map<String, Manifest.Entry> view(Path root, Predicate<String> excluded) {
        Map<String, Manifest.Entry> out = new TreeMap<>(Manifest.of(root).entries());
        out.keySet().removeIf(excluded);
        return out;
    }

    /** The differences, one per line ({@code missing}: in expected only; {@code extra}: in actual only). */
    static String diff(Map<String, Manifest.Entry> expected, Map<String, Manifest.Entry> actual) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(expected.keySet());
        all.addAll(actual.keySet());
        for (String p : all) {
            Manifest.Entry e = expected.get(p);
            Manifest.Entry a = actual.get(p);
            if (a == null) {
                lines.add("missing:   " + p + " (" + e + ")");
            } else if (e == null) {
                lines.add("extra:     " + p + " (" + a + ")");
            } else if (!e.equals(a)) {
                lines.add("different: " + p + ": expected " + e + ", actual " + a);
            }
        }
        if (lines.size() > MAX_DIFF_LINES) {
            int more = lines.size() - MAX_DIFF_LINES;
            lines = new ArrayList<>(lines.subList(0, MAX_DIFF_LINES));
            lines.add("… " + more + " more");
        }
        return String.join("\n", lines);
    }

    /**
     * Waits until {@code actual} holds what {@code expected} holds (both seen through
     * {@code excluded}), failing with the manifest diff at the deadline. Each poll first compares
     * paths, sizes and mtimes only, and hashes both trees only when those agree.
     */
    static void awaitSame(String what, Path expected, Path actual, Predicate<String> excluded, Duration atMost) {
        try {
            await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsInstanceOf(UncheckedIOException.class) // a file moved while we read it
                    .until(() -> shape(expected, excluded).equals(shape(actual, excluded))
                            && view(expected, excluded).equals(view(actual, excluded)));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not the same after " + atMost + " (expected " + expected + ", actual "
                    + actual + "):\n" + diff(view(expected, excluded), view(actual, excluded)), e);
        }
    }

    /** Type, size, file mtime and link target per path, without reading content. */
    private record Shape(char type, long size, long mtimeNanos, String target) {
    }

    private static Map<String, Shape> shape(Path root, Predicate<String> excluded) throws IOException {
        Map<String, Shape> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = rel(root, dir);
                if (rel.equals(".savesync")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!excluded.test(rel)) {
                    out.put(rel, new Shape('d', -1, -1, null));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = rel(root, file);
                if (!excluded.test(rel)) {
                    out.put(rel, attrs.isSymbolicLink() ? new Shape('l', -1, -1, Files.readSymbolicLink(file).toString())
                            : new Shape('f', attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), null));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // the agent moved it away while we looked: next poll
            }
        });
        return out;
    }

    private static String rel(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(p)) {
            b.append(b.isEmpty() ? "" : "/").append(part);
        }
        return b.toString();
    }

    /** Sum of the sizes of these files, as they are on disk now. */
    static long sizes(Path root, List<String> rels) {
        long n = 0;
        for (String r : rels) {
            try {
                n += Files.size(root.resolve(r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }
}
