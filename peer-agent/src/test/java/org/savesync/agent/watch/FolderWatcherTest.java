package org.savesync.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real files in a temporary directory, real inotify; every wait has a deadline. */
class FolderWatcherTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String JDK_POLLER_THREAD = "FileSystemWatchService";

    @TempDir
    Path tmp;

    private Path root;
    private final Recorder recorder = new Recorder();
    private FolderWatcher watcher;

    @BeforeEach
    void createFolder() throws IOException {
        root = Files.createDirectories(tmp.resolve("folder"));
    }

    @AfterEach
    void closeWatcher() {
        if (watcher != null) {
            recorder.release();
            watcher.close();
        }
    }

    enum FileOp {
        CREATE, MODIFY, DELETE, RENAME
    }

    @ParameterizedTest
    @EnumSource(FileOp.class)
    void eachKindOfFileChangeIsSignalled(FileOp op) throws IOException {
        Path existing = write(root.resolve("existing.txt"), "v1");
        Files.createDirectories(root.resolve("sub"));
        start();

        switch (op) {
            case CREATE -> write(root.resolve("sub/new.txt"), "new");
            case MODIFY -> append(existing, "v2");
            case DELETE -> Files.delete(existing);
            case RENAME -> Files.move(existing, root.resolve("sub/renamed.txt"));
        }

        await().atMost(DEADLINE).until(() -> recorder.signals.contains(WatchSignal.CHANGED));
    }

    @Test
    void aNestedTreeCreatedAtOnceIsWatchedThroughout() throws IOException {
        start();

        Path deep = Files.createDirectories(root.resolve("a/b/c")); // mkdir -p a/b/c && touch a/b/c/f
        Path f = write(deep.resolve("f"), "x");

        await().atMost(DEADLINE).until(() -> recorder.signals.contains(WatchSignal.CHANGED));
        await().atMost(DEADLINE).until(() -> watcher.watchedDirectories()
                .containsAll(List.of(root.resolve("a"), root.resolve("a/b"), deep)));
        int before = recorder.signals.size();
        append(f, "y");
        await().atMost(DEADLINE).until(() -> recorder.signals.size() > before);
    }

    @Test
    void aTreeMovedInIsWatchedThroughout() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside/x/y"));
        write(outside.resolve("f"), "x");
        start();

        Files.move(tmp.resolve("outside"), root.resolve("in")); // one event for the whole tree

        await().atMost(DEADLINE).until(() -> watcher.watchedDirectories().contains(root.resolve("in/x/y")));
        int before = recorder.signals.size();
        append(root.resolve("in/x/y/f"), "y");
        await().atMost(DEADLINE).until(() -> recorder.signals.size() > before);
    }

    @Test
    void writesUnderTheEngineAreaNeverSignal() throws IOException {
        Path engineTmp = Files.createDirectories(root.resolve(".savesync/tmp"));
        Path nestedEngineName = Files.createDirectories(root.resolve("docs/.savesync"));
        start();

        for (int i = 0; i < 20; i++) {
            write(engineTmp.resolve("part-" + i), "chunk " + i);
        }
        write(Files.createDirectories(engineTmp.resolve("deep/er")).resolve("f"), "x");
        Files.delete(engineTmp.resolve("part-0"));
        Files.move(engineTmp.resolve("part-1"), engineTmp.resolve("deep/part-1"));

        // Nothing may arrive for a while (a few debounce intervals) ...
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(recorder.signals::isEmpty);
        // ... while a real change, even in a nested directory called .savesync, proves the watcher is alive.
        write(nestedEngineName.resolve("notes.txt"), "mine");
        await().atMost(DEADLINE).until(() -> recorder.signals.size() == 1);
        assertThat(watcher.watchedDirectories()).noneMatch(d -> d.startsWith(root.resolve(".savesync")));
    }

    @Test
    void aBurstOfWritesYieldsFewSignalsAndOneAfterTheBurst() throws IOException {
        Path burst = Files.createDirectories(root.resolve("burst"));
        start();

        for (int i = 0; i < 2_000; i++) {
            write(burst.resolve("file-" + i), "content " + i);
        }
        long burstEnded = System.nanoTime();

        await().atMost(DEADLINE).until(() -> recorder.times.stream().anyMatch(t -> t - burstEnded > 0));
        assertThat(recorder.signals).hasSizeLessThan(50);
    }

    @Test
    void aContinuousStreamOfWritesIsSignalledWithinTheMaxDelay() throws IOException {
        Path file = write(root.resolve("log.txt"), "");
        // The debounce (10 s) outlasts the wait (5 s): only the max delay can deliver a signal in time.
        watcher = new FolderWatcher(root, Duration.ofSeconds(10), Duration.ofMillis(300), recorder,
                FolderWatcher.JDK_REGISTRATION);
        watcher.start();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            append(file, "line\n");
            return !recorder.signals.isEmpty();
        });
    }

    @Test
    void closeEndsEveryThreadItStarted() throws IOException {
        long pollersBefore = threadsNamed(JDK_POLLER_THREAD);
        start();
        assertThat(threadsNamed(watcher.threadName())).isEqualTo(1);
        assertThat(threadsNamed(JDK_POLLER_THREAD)).isGreaterThan(pollersBefore);

        watcher.close();

        assertThat(watcher.isRunning()).isFalse();
        assertThat(threadsNamed(watcher.threadName())).isZero();
        await().atMost(DEADLINE).until(() -> threadsNamed(JDK_POLLER_THREAD) <= pollersBefore);
        watcher.close(); // idempotent
    }

    @Test
    void closeEndsTheThreadEvenWhileTheCallbackBlocks() throws IOException {
        start();
        recorder.block();
        write(root.resolve("f"), "x");
        recorder.awaitBlocked();

        watcher.close();

        assertThat(threadsNamed(watcher.threadName())).isZero();
    }

    @Test
    void anOverflowAsksForAFullRescanAndWatchesDirectoriesItMissed() throws IOException {
        start();
        recorder.block();
        write(root.resolve("trigger"), "x");
        recorder.awaitBlocked();

        // While the callback blocks nobody reads events: more than the JDK keeps per directory
        // overflow, and the creation of late/ is among the events lost.
        Path lateSub = Files.createDirectories(root.resolve("late/sub"));
        Path lateFile = write(lateSub.resolve("f"), "x");
        for (int i = 0; i < 3 * FolderWatcher.JDK_EVENTS_PER_KEY; i++) {
            write(root.resolve("flood-" + i), "x");
        }
        recorder.release();

        await().atMost(DEADLINE).until(() -> recorder.signals.contains(WatchSignal.RESCAN));
        assertThat(watcher.watchedDirectories()).contains(root.resolve("late"), lateSub);
        int before = recorder.signals.size();
        append(lateFile, "y");
        await().atMost(DEADLINE).until(() -> recorder.signals.size() > before);
    }

    @Test
    void anUnwatchableDirectoryIsLoggedOnceAndTheWatcherKeepsGoing() throws IOException {
        // Hitting the real limit would mean lowering a system-wide sysctl; fail the registration
        // exactly as the JDK does when inotify_add_watch returns ENOSPC instead.
        FolderWatcher.Registration limited = (service, dir) -> {
            if (dir.getFileName().toString().startsWith("full")) {
                throw new IOException("User limit of inotify watches reached");
            }
            return FolderWatcher.JDK_REGISTRATION.register(service, dir);
        };
        Files.createDirectories(root.resolve("full1"));
        Files.createDirectories(root.resolve("full2/inner-full3"));
        Path ok = Files.createDirectories(root.resolve("ok"));
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(FolderWatcher.class.getName());
        log.addHandler(capture);
        try {
            watcher = new FolderWatcher(root, FolderWatcher.DEFAULT_DEBOUNCE, FolderWatcher.DEFAULT_MAX_DELAY,
                    recorder, limited);
            watcher.start();
            Files.createDirectories(root.resolve("full4"));
            write(ok.resolve("f"), "x");

            await().atMost(DEADLINE).until(() -> recorder.signals.contains(WatchSignal.CHANGED));
            assertThat(watcher.isRunning()).isTrue();
            assertThat(watcher.watchedDirectories()).contains(root, ok)
                    .noneMatch(d -> d.getFileName().toString().startsWith("full"));
            assertThat(warnings).singleElement().satisfies(r -> assertThat(r.getMessage())
                    .contains(root.resolve("full").toString()).contains("fs.inotify.max_user_watches")
                    .containsPattern("max_user_watches = \\d+\\)"));
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void aSymlinkedDirectoryIsNeverWatched() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("elsewhere/inner"));
        Files.createSymbolicLink(root.resolve("link-before"), target.getParent());
        start();

        Files.createSymbolicLink(root.resolve("link-after"), target.getParent());

        await().atMost(DEADLINE).until(() -> recorder.signals.contains(WatchSignal.CHANGED));
        assertThat(watcher.watchedDirectories()).containsExactly(root);
    }

    @Test
    void aDeletedFolderStopsTheWatcherWithAFinalSignal() throws IOException {
        write(Files.createDirectories(root.resolve("sub")).resolve("f"), "x");
        start();

        deleteTree(root);

        await().atMost(DEADLINE).until(() -> recorder.signals.contains(WatchSignal.STOPPED));
        await().atMost(DEADLINE).until(() -> threadsNamed(watcher.threadName()) == 0);
        assertThat(watcher.isRunning()).isFalse();
        assertThat(recorder.signals).last().isEqualTo(WatchSignal.STOPPED);
    }

    @Test
    void aMovedFolderStopsTheWatcherWithAFinalSignal() throws IOException {
        start();

        Files.move(root, tmp.resolve("moved")); // inotify keeps watching the moved directory silently

        await().atMost(FolderWatcher.ROOT_CHECK_INTERVAL.plus(DEADLINE))
                .until(() -> recorder.signals.contains(WatchSignal.STOPPED));
        await().atMost(DEADLINE).until(() -> threadsNamed(watcher.threadName()) == 0);
    }

    @Test
    void aDebounceLongerThanTheMaxDelayIsRejected() {
        assertThatThrownBy(() -> new FolderWatcher(root, Duration.ofSeconds(3), recorder))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never be reached");
    }

    @Test
    void startFailsClearlyWithoutAFolder() {
        watcher = new FolderWatcher(tmp.resolve("missing"), recorder);

        assertThatThrownBy(watcher::start).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing").hasMessageContaining("not a directory");
    }

    private void start() throws IOException {
        watcher = new FolderWatcher(root, recorder);
        watcher.start();
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void append(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Records every signal; can hold the watcher thread inside the callback. */
    static final class Recorder implements Consumer<WatchSignal> {
        final List<WatchSignal> signals = new CopyOnWriteArrayList<>();
        final List<Long> times = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate;
        private final CountDownLatch blocked = new CountDownLatch(1);

        @Override
        public void accept(WatchSignal signal) {
            signals.add(signal);
            times.add(System.nanoTime());
            CountDownLatch g = gate;
            if (g != null) {
                blocked.countDown();
                try {
                    g.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void block() {
            gate = new CountDownLatch(1);
        }

        void awaitBlocked() {
            await().atMost(DEADLINE).until(() -> blocked.getCount() == 0);
        }

        void release() {
            CountDownLatch g = gate;
            gate = null;
            if (g != null) {
                g.countDown();
            }
        }
    }
}
