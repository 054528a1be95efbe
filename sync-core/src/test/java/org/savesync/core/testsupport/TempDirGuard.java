package org.savesync.core.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails a test run that leaves {@code savesync-*} entries in {@code java.io.tmpdir}: it lists
 * them when the JUnit launcher session opens and again when it closes, and throws
 * {@link LeftoverTempFiles} (which fails the Maven build) naming every new one, after deleting
 * them (so that the next run fails again if the leak is still there). Registered for
 * every module that has sync-core's test-jar on its class path, through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 *
 * <p>The build points {@code java.io.tmpdir} at the module's {@code target/} (root pom,
 * {@code savesync.test.jvm}), so runs of other checkouts on the same machine cannot interfere;
 * this guard creates it if it is missing. {@code -Dsavesync.tmpGuard=off} turns the check off.
 */
public final class TempDirGuard implements LauncherSessionListener {
    /** What a test's temporary files are called; what the guard looks for. */
    public static final String PREFIX = "savesync-";
    public static final String SWITCH = "savesync.tmpGuard";

    private Path dir;
    private Set<String> before;

    /** A run left temporary files behind. */
    public static final class LeftoverTempFiles extends RuntimeException {
        LeftoverTempFiles(Path dir, Set<String> names) {
            super("the tests left " + names.size() + " temporary entries in " + dir + ": " + names
                    + " (now deleted); make their creator use @TempDir or delete them (see TempDirGuard)");
        }
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if ("off".equals(System.getProperty(SWITCH))) {
            return;
        }
        dir = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create java.io.tmpdir " + dir, e);
        }
        before = list(dir);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (before == null) {
            return;
        }
        Set<String> left = list(dir);
        left.removeAll(before);
        if (!left.isEmpty()) {
            for (String name : left) {
                Workloads.deleteTree(dir.resolve(name));
            }
            throw new LeftoverTempFiles(dir, left);
        }
    }

    static Set<String> list(Path dir) {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return names;
    }
}
