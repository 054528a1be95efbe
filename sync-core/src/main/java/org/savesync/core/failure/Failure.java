package org.savesync.core.failure;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failure as a user reads it, for the "…: REASON" of a log line, a status or an error answer.
 *
 * <ul>
 * <li>Wrappers that add nothing are looked through: {@link CompletionException},
 *     {@link ExecutionException}, {@link InvocationTargetException}, and any exception whose
 *     message is only its cause's {@code toString()} (what {@code new RuntimeException(cause)} or
 *     {@code new UncheckedIOException(cause)} make).</li>
 * <li>An exception without a message ({@code ClosedChannelException}, a bare
 *     {@code NullPointerException}, {@code TimeoutException} from {@code orTimeout}) is named by
 *     its simple class name, followed by its cause's reason if it has one.</li>
 * <li>A file-system failure says on which file and what went wrong ("/a/b: no such file", in the
 *     JDK's order, also when the JDK gives only the file), and
 *     running out of file descriptors reads "too many open files", whatever file it hit.</li>
 * </ul>
 */
public final class Failure {
    /** What a missing failure reads as: a caller handed us nothing. */
    public static final String UNKNOWN = "unknown failure";
    /** The reason a process out of file descriptors is given, on any file. */
    public static final String TOO_MANY_OPEN_FILES = "too many open files";
    /** Causes followed at most: a cycle or a deep chain ends here. */
    private static final int MAX_DEPTH = 16;

    private Failure() {
    }

    /** The reason {@code t} gives, never null or blank. */
    public static String describe(Throwable t) {
        return describe(t, true, 0);
    }

    /**
     * Like {@link #describe}, but a file-system failure does not name its file: for a line that
     * already says which file it is about, or where the file is an internal one (a temp file).
     */
    public static String describeWithoutPath(Throwable t) {
        return describe(t, false, 0);
    }

    private static String describe(Throwable t, boolean withPath, int depth) {
        if (t == null) {
            return UNKNOWN;
        }
        t = unwrap(t);
        String m = t instanceof FileSystemException fse ? fileSystem(fse, withPath) : t.getMessage();
        if (m != null && outOfDescriptors(m, withPath)) {
            return TOO_MANY_OPEN_FILES;
        }
        if (m != null && !m.isBlank()) {
            return m.strip();
        }
        String name = t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
        Throwable cause = t.getCause();
        if (cause == null || cause == t || depth >= MAX_DEPTH) {
            return name;
        }
        return name + ": " + describe(cause, withPath, depth + 1);
    }

    /**
     * EMFILE, as the JDK and Netty word it: "Too many open files", after a file or a call name and
     * ": ". Without the path, any mention counts (what a transfer's status has always shown); with
     * it, a longer sentence that only mentions it (inotify's "User limit of inotify instances
     * reached or too many open files") is kept whole, since it says which limit to raise.
     */
    private static boolean outOfDescriptors(String message, boolean withPath) {
        String m = message.strip().toLowerCase(Locale.ROOT);
        if (!withPath) {
            return m.contains(TOO_MANY_OPEN_FILES);
        }
        return m.equals(TOO_MANY_OPEN_FILES) || m.endsWith(": " + TOO_MANY_OPEN_FILES);
    }

    /** Looks through wrappers that say nothing of their own. */
    private static Throwable unwrap(Throwable t) {
        for (int i = 0; i < MAX_DEPTH; i++) {
            Throwable cause = t.getCause();
            if (cause == null || cause == t) {
                return t;
            }
            boolean wrapper = t instanceof CompletionException || t instanceof ExecutionException
                    || t instanceof InvocationTargetException || cause.toString().equals(t.getMessage());
            if (!wrapper) {
                return t;
            }
            t = cause;
        }
        return t;
    }

    private static String fileSystem(FileSystemException e, boolean withPath) {
        String what = e.getReason();
        if (what == null || what.isBlank()) {
            what = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof DirectoryNotEmptyException ? "directory not empty"
                    : e instanceof NotDirectoryException ? "not a directory"
                    : e.getClass().getSimpleName();
        }
        if (!withPath || e.getFile() == null) {
            return what;
        }
        // The JDK's own order: "FILE: REASON" or "FILE -> OTHER: REASON".
        return e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "") + ": " + what;
    }
}
