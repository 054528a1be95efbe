package org.savesync.core.ignore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.savesync.core.failure.Failure;
import org.savesync.core.folder.FolderScanner;
import org.savesync.core.folder.LocalFile;

/**
 * A folder's root {@value #NAME}: read when {@link #refresh()} finds its stat changed (size,
 * mtime, inode, ctime), never through a symlink. It belongs to this device only: the engine
 * neither publishes nor writes it. Problems (unreadable, not a regular file, too large,
 * invalid lines) are reported by {@link #problems()} and never thrown at the caller. Not
 * thread-safe: the engine uses it from its own thread.
 */
public final class IgnoreFile {
    /** The file's name, at the folder root only ({@code sub/.savesyncignore} is an ordinary file). */
    public static final String NAME = ".savesyncignore";
    /** Bytes read at most; the rest of a longer file is not read (and that is reported). */
    public static final int MAX_BYTES = 1 << 20;

    private final Path root;
    /** Whether {@link #stamp} describes the file the rules were read from. */
    private boolean loaded;
    private LocalFile stamp;
    private IgnoreRules rules = IgnoreRules.NONE;
    private List<IgnoreProblem> fileProblems = List.of();

    public IgnoreFile(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** Whether a folder-relative path is the root ignore file itself. */
    public static boolean isIgnoreFile(String path) {
        return NAME.equals(path);
    }

    /** The rules as last read (none before the first {@link #refresh()}). */
    public IgnoreRules rules() {
        return rules;
    }

    /** What is wrong with the file as a whole (line 0), then the lines that were skipped. */
    public List<IgnoreProblem> problems() {
        List<IgnoreProblem> all = new ArrayList<>(fileProblems);
        all.addAll(rules.problems());
        return all;
    }

    /**
     * Re-reads the file if its stat changed since the last read (or it appeared or vanished).
     * When it cannot be read, the previous rules stay in force (dropping them would publish
     * what the user wants ignored) and the next call tries again.
     *
     * @return true when the rules or the problems may have changed
     */
    public boolean refresh() {
        LocalFile now;
        try {
            now = FolderScanner.stat(root, NAME).orElse(null);
        } catch (IOException e) {
            return keepRules("cannot read its attributes (" + Failure.describe(e) + ")");
        }
        if (loaded && same(stamp, now)) {
            return false;
        }
        IgnoreRules next = IgnoreRules.NONE;
        List<IgnoreProblem> problems = new ArrayList<>();
        if (now != null && !now.isFile()) {
            problems.add(fileProblem("it is a " + now.kind().name().toLowerCase()
                    + ", not a regular file, so no pattern is read from it"));
        } else if (now != null) {
            try {
                next = IgnoreRules.parse(decode(read(root.resolve(NAME))));
            } catch (IOException e) {
                return keepRules("cannot read it (" + Failure.describe(e) + ")");
            }
            if (now.size() > MAX_BYTES) {
                problems.add(fileProblem("it is larger than " + MAX_BYTES + " bytes; the rest is not read"));
            }
        }
        rules = next;
        fileProblems = List.copyOf(problems);
        stamp = now;
        loaded = true;
        return true;
    }

    private boolean keepRules(String why) {
        List<IgnoreProblem> problems = List.of(fileProblem(why + "; the previous rules stay in force"));
        boolean news = !problems.equals(fileProblems);
        fileProblems = problems;
        loaded = false;
        return news;
    }

    private static boolean same(LocalFile a, LocalFile b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.sameStat(b) && a.ctimeNanos() == b.ctimeNanos();
    }

    private static byte[] read(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_BYTES, ch.size()));
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // keep reading: a read may return fewer bytes than asked
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        }
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("a replacing decoder never fails", e);
        }
    }

    private static IgnoreProblem fileProblem(String reason) {
        return new IgnoreProblem(0, "", NAME + ": " + reason);
    }
}
