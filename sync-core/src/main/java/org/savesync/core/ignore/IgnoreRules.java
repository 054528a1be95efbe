package org.savesync.core.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of one ignore file, in order, and the lines that were skipped.
 *
 * <p>Deciding a path follows git: the last pattern that matches wins (a {@code !} pattern
 * re-includes); and a path is ignored as soon as one of its parent directories is, so a
 * {@code !} pattern cannot bring back a file whose directory is excluded. Paths are the
 * folder's relative, {@code '/'}-separated, NFC-normalised paths. Immutable and thread-safe.
 */
public final class IgnoreRules {
    /** No patterns: nothing is ignored. */
    public static final IgnoreRules NONE = new IgnoreRules(List.of(), List.of());

    private final List<IgnorePattern> patterns;
    private final List<IgnoreProblem> problems;

    private IgnoreRules(List<IgnorePattern> patterns, List<IgnoreProblem> problems) {
        this.patterns = List.copyOf(patterns);
        this.problems = List.copyOf(problems);
    }

    /**
     * Parses an ignore file's text. Blank lines and lines starting with {@code #} are skipped;
     * a line that is not a valid pattern is reported in {@link #problems()} and skipped too, so
     * this never fails.
     */
    public static IgnoreRules parse(String text) {
        List<IgnorePattern> patterns = new ArrayList<>();
        List<IgnoreProblem> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1); // written on Windows
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                patterns.add(IgnorePattern.compile(line, i + 1));
            } catch (InvalidPatternException e) {
                problems.add(e.toProblem());
            }
        }
        return new IgnoreRules(patterns, problems);
    }

    /**
     * Whether {@code path} is ignored.
     *
     * @param path        relative, {@code '/'}-separated, NFC (as in the index); not empty
     * @param isDirectory whether it is (or would be) a directory: patterns ending in {@code /}
     *                    match only directories
     */
    public boolean isIgnored(String path, boolean isDirectory) {
        if (patterns.isEmpty()) {
            return false;
        }
        String[] comps = path.split("/");
        for (int n = 1; n <= comps.length; n++) {
            boolean dir = n < comps.length || isDirectory;
            if (decide(comps, n, dir)) {
                return true; // an excluded directory excludes everything below it
            }
        }
        return false;
    }

    /** The last matching pattern decides. */
    private boolean decide(String[] comps, int count, boolean isDirectory) {
        for (int k = patterns.size() - 1; k >= 0; k--) {
            IgnorePattern p = patterns.get(k);
            if (p.matches(comps, count, isDirectory)) {
                return !p.negated();
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public List<IgnorePattern> patterns() {
        return patterns;
    }

    /** Lines skipped because they are not valid patterns, with their line numbers. */
    public List<IgnoreProblem> problems() {
        return problems;
    }
}
