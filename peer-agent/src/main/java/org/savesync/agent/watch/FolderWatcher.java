package org.savesync.agent.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;

/**
 * Watches one synced folder and asks its owner to scan it when something changed.
 *
 * <p><b>Flow.</b> {@link #start()} registers every directory of the folder with the JDK
 * {@link WatchService} (inotify on Linux: one watch per directory) and starts one thread,
 * {@code savesync-watch[<folder>]}, which reads events, registers directories as they
 * appear (with everything already inside them: a {@code mkdir -p a/b/c} seen as one event),
 * and delivers a {@link WatchSignal} to the callback once the folder has been quiet for the
 * debounce interval, or at the latest {@link #DEFAULT_MAX_DELAY} after the first pending
 * event, so a continuous stream of writes is still scanned. {@link #close()} stops that
 * thread and the JDK's poller thread.
 *
 * <p><b>Events are hints, not truth.</b> They only say "scan now"; the scan finds what
 * changed. A queue overflow (the kernel's {@code max_queued_events} or the JDK's
 * {@value #JDK_EVENTS_PER_KEY} events per directory between reads) loses events, so it is
 * delivered as {@link WatchSignal#RESCAN} after the tree is re-registered (directories
 * created meanwhile went unseen). A directory that cannot be watched (inotify watch limit)
 * is logged once, saying what to raise, and skipped; the owner's periodic rescan covers it.
 * Events under the folder's top-level {@code .savesync/} (the engine's temporary area) are
 * never watched, and symbolic links are never followed.
 *
 * <p><b>The folder going away.</b> When the folder is deleted, unmounted (its watch is
 * cancelled) or replaced or moved (checked every {@link #ROOT_CHECK_INTERVAL} while idle,
 * since inotify does not report a moved watch), the watcher logs it, delivers
 * {@link WatchSignal#STOPPED} at once and ends its thread; the owner's scan reports the error.
 *
 * <p>The callback runs on the watcher thread, one call at a time; it should only hand the
 * request on (e.g. to the scanner's queue). While it blocks, events accumulate, and if they
 * overflow the next signal is a {@code RESCAN}, which is safe.
 */
public final class FolderWatcher implements AutoCloseable {

    /** How long the folder must be quiet before a signal is delivered, unless told otherwise. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

    /** The longest a signal waits during a continuous stream of events. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(2);

    /** How often an idle watcher checks that the folder is still the one it watches. */
    public static final Duration ROOT_CHECK_INTERVAL = Duration.ofSeconds(5);

    /** The watcher thread's name is this, then the folder's name in brackets. */
    public static final String THREAD_NAME_PREFIX = "savesync-watch";

    /** The JDK's default cap on events queued per directory before it signals OVERFLOW. */
    static final int JDK_EVENTS_PER_KEY = 512;

    /** How long {@link #close()} waits for a callback in progress before interrupting it. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** Registers a directory with a watch service; a test seam for unwatchable directories. */
    @FunctionalInterface
    interface Registration {
        WatchKey register(WatchService service, Path dir) throws IOException;
    }

    static final Registration JDK_REGISTRATION =
            (service, dir) -> dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);

    private static final Logger LOG = Logger.getLogger(FolderWatcher.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final Path root;
    private final Consumer<WatchSignal> callback;
    private final Registration registration;
    private final Debouncer debouncer;
    private final String threadName;
    private volatile State state = State.NEW;
    private WatchService service;
    private WatchedTree tree;
    private Thread thread;
    private Object rootIdentity;
    private boolean rewalkNeeded;

    /** A watcher with the {@link #DEFAULT_DEBOUNCE}. */
    public FolderWatcher(Path root, Consumer<WatchSignal> callback) {
        this(root, DEFAULT_DEBOUNCE, callback);
    }

    /**
     * @param root     the synced folder
     * @param debounce how long the folder must be quiet before a signal is delivered
     *                 (positive, at most {@link #DEFAULT_MAX_DELAY})
     * @param callback told when to scan; runs on the watcher thread and should return quickly
     */
    public FolderWatcher(Path root, Duration debounce, Consumer<WatchSignal> callback) {
        this(root, debounce, DEFAULT_MAX_DELAY, callback, JDK_REGISTRATION);
        if (debounce.compareTo(DEFAULT_MAX_DELAY) > 0) {
            throw new IllegalArgumentException("debounce " + debounce + " is longer than the max delay "
                    + DEFAULT_MAX_DELAY + " and would never be reached");
        }
    }

    FolderWatcher(Path root, Duration debounce, Duration maxDelay, Consumer<WatchSignal> callback,
            Registration registration) {
        this.root = root.toAbsolutePath().normalize();
        this.debouncer = new Debouncer(debounce, maxDelay);
        this.callback = Objects.requireNonNull(callback, "callback");
        this.registration = Objects.requireNonNull(registration, "registration");
        Path name = this.root.getFileName();
        this.threadName = THREAD_NAME_PREFIX + "[" + (name == null ? this.root : name) + "]";
    }

    /**
     * Registers the folder's directories and starts the watcher thread. Returns once every
     * directory that can be watched is, so a change made afterwards is seen.
     *
     * @throws IOException if the folder is not a directory or cannot be watched at all (for
     *                     instance the inotify instance limit is reached); the owner then
     *                     relies on its periodic rescan
     * @throws IllegalStateException if started before or already closed; after an
     *                               {@code IOException} it may be started again
     */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("watcher for " + root + " was already started or closed");
        }
        rootIdentity = identity(root).orElseThrow(
                () -> new NoSuchFileException(root.toString(), null, "the folder to watch is not a directory"));
        WatchService ws;
        try {
            ws = root.getFileSystem().newWatchService();
        } catch (IOException e) {
            throw cannotWatch(e);
        }
        WatchedTree t = new WatchedTree(root, dir -> registration.register(ws, dir));
        try {
            t.registerRoot();
            t.registerTree(root);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ws);
            throw cannotWatch(e);
        }
        service = ws;
        tree = t;
        state = State.RUNNING;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
        LOG.debugf("watching %s (%d directories)", root, t.directories().size());
    }

    /** Whether the watcher is running: started, not closed, and the folder not gone. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The folder watched. */
    public Path root() {
        return root;
    }

    /**
     * Stops watching and ends every thread this watcher started. Waits up to
     * {@link #CLOSE_GRACE} for a callback in progress, then interrupts it. Idempotent; may be
     * called from the callback.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            state = State.STOPPED;
            t = thread;
            if (service != null) {
                closeQuietly(service); // wakes the watcher thread and ends the JDK's poller thread
            }
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(CLOSE_GRACE.toMillis());
            if (t.isAlive()) {
                t.interrupt();
                t.join(CLOSE_GRACE.toMillis());
            }
            if (t.isAlive()) {
                LOG.warnf("%s did not stop: its callback is still running", threadName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The watched directories (for tests). */
    Set<Path> watchedDirectories() {
        WatchedTree t = tree;
        return t == null ? Set.of() : t.directories();
    }

    /** The watcher thread's name (for tests). */
    String threadName() {
        return threadName;
    }

    private void run() {
        long nextRootCheck = System.nanoTime() + ROOT_CHECK_INTERVAL.toNanos();
        try {
            while (state == State.RUNNING) {
                long now = System.nanoTime();
                Optional<WatchSignal> due = debouncer.takeIfDue(now);
                if (due.isPresent()) {
                    deliver(due.get());
                    continue;
                }
                if (now - nextRootCheck >= 0) {
                    if (rootGone()) {
                        return;
                    }
                    nextRootCheck = now + ROOT_CHECK_INTERVAL.toNanos();
                }
                long wait = nextRootCheck - now;
                if (debouncer.hasPending()) {
                    wait = Math.min(wait, debouncer.nanosUntilDue(now));
                }
                WatchKey key = service.poll(wait, TimeUnit.NANOSECONDS);
                if (key != null && !process(key)) {
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close(): nothing more to deliver
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed and stopped; the periodic rescan still covers %s", threadName, root);
            state = State.STOPPED;
            invoke(WatchSignal.STOPPED);
        } finally {
            state = State.STOPPED;
            closeQuietly(service);
        }
    }

    /** Handles one key's events; false once the folder itself is gone. */
    private boolean process(WatchKey key) {
        Path dir = tree.pathOf(key);
        long now = System.nanoTime();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                LOG.debugf("event queue overflowed under %s; asking for a full rescan", root);
                rewalkNeeded = true;
                debouncer.record(WatchSignal.RESCAN, now);
                continue;
            }
            if (dir == null) {
                continue; // a key we already dropped; its last events are stale
            }
            Path child = dir.resolve((Path) event.context());
            if (tree.isIgnored(child)) {
                continue;
            }
            debouncer.record(WatchSignal.CHANGED, now);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                tree.registerTree(child);
            } else if (event.kind() == ENTRY_DELETE) {
                tree.forgetIfGone(child);
            }
        }
        if (!key.reset()) {
            tree.forget(key);
            if (root.equals(dir)) {
                stopBecauseRootGone("was deleted or unmounted");
                return false;
            }
        }
        return true;
    }

    private void deliver(WatchSignal signal) {
        if (rewalkNeeded) {
            rewalkNeeded = false;
            tree.registerTree(root); // directories created while events were lost went unseen
        }
        if (rootGone()) {
            return;
        }
        invoke(signal);
    }

    /** Checks the folder is still the directory we watch; if not, stops. */
    private boolean rootGone() {
        if (identity(root).filter(rootIdentity::equals).isPresent()) {
            return false;
        }
        stopBecauseRootGone("is gone, was moved or replaced");
        return true;
    }

    private void stopBecauseRootGone(String what) {
        LOG.warnf("Folder %s %s; stopped watching it. Scans will report the error; a new watcher can be"
                + " started once the folder is back.", root, what);
        state = State.STOPPED;
        invoke(WatchSignal.STOPPED);
    }

    private void invoke(WatchSignal signal) {
        try {
            callback.accept(signal);
        } catch (RuntimeException e) {
            LOG.warnf(e, "scan request for %s failed", root);
        }
    }

    /** Why the folder cannot be watched at all, and which inotify limit to raise if one was hit. */
    private IOException cannotWatch(Exception e) {
        String cause = Failure.describe(e);
        String advice = cause.contains("inotify instances") ? "; raise fs.inotify.max_user_instances (sysctl)"
                : cause.contains("inotify watches") ? "; raise fs.inotify.max_user_watches (sysctl)" : "";
        return new IOException("Cannot watch " + root + ": " + cause + advice
                + ". Only the periodic rescan will find changes.", e);
    }

    /** What tells this directory apart from one that replaced it at the same path. */
    private static Optional<Object> identity(Path dir) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
            if (!attrs.isDirectory()) {
                return Optional.empty();
            }
            return Optional.of(attrs.fileKey() != null ? attrs.fileKey() : Boolean.TRUE);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(WatchService ws) {
        try {
            ws.close();
        } catch (IOException e) {
            LOG.debugf("closing the watch service: %s", e);
        }
    }
}
