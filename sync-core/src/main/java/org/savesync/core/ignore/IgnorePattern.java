package org.savesync.core.ignore;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One compiled line of an ignore file, with gitignore's meaning:
 * <ul>
 *   <li>{@code !} first: a negation (re-includes what an earlier line excluded);</li>
 *   <li>a trailing {@code /}: matches directories only;</li>
 *   <li>a {@code /} at the start or in the middle: anchored at the folder root; otherwise
 *       the pattern matches a name at any depth (as if it began with {@code **}{@code /});</li>
 *   <li>{@code *}, {@code ?} and {@code [...]} within one path component (see {@link Glob});</li>
 *   <li>a whole component {@code **}: a leading {@code **}{@code /} or middle {@code /**}{@code /}
 *       matches zero or more directories, a trailing {@code /**} everything inside (one or
 *       more components); elsewhere {@code **} is just {@code *};</li>
 *   <li>{@code \} makes the next character literal ({@code \#}, {@code \!}, {@code \*},
 *       {@code \ } for a trailing space); unescaped trailing spaces are dropped.</li>
 * </ul>
 * Patterns are NFC-normalised, like the folder's paths, and case-sensitive.
 */
public final class IgnorePattern {
    /** A component that is {@code **}: any number of components (at least one when it is last). */
    private static final Glob GLOBSTAR = null;

    private final int line;
    private final String source;
    private final boolean negated;
    private final boolean directoryOnly;
    /** Components; null stands for {@code **}. An unanchored pattern starts with one. */
    private final Glob[] parts;

    private IgnorePattern(int line, String source, boolean negated, boolean directoryOnly, Glob[] parts) {
        this.line = line;
        this.source = source;
        this.negated = negated;
        this.directoryOnly = directoryOnly;
        this.parts = parts;
    }

    /**
     * Compiles a line that is neither blank nor a comment.
     *
     * @throws InvalidPatternException saying what is wrong with it
     */
    public static IgnorePattern compile(String text, int line) throws InvalidPatternException {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        int[] raw = nfc.codePoints().toArray();
        // Unescape into (code point, escaped) pairs.
        int[] cps = new int[raw.length];
        boolean[] esc = new boolean[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\') {
                if (i + 1 >= raw.length) {
                    throw new InvalidPatternException(line, text, "it ends with a lone '\\'; write '\\\\' for a"
                            + " literal backslash (which no synced name can hold anyway)");
                }
                cps[n] = raw[++i];
                esc[n++] = true;
            } else {
                cps[n] = raw[i];
                esc[n++] = false;
            }
        }
        while (n > 0 && cps[n - 1] == ' ' && !esc[n - 1]) {
            n--; // unescaped trailing spaces are not part of the pattern
        }
        int start = 0;
        boolean negated = false;
        if (n > 0 && cps[0] == '!' && !esc[0]) {
            negated = true;
            start = 1;
        }
        boolean directoryOnly = false;
        while (n > start && cps[n - 1] == '/') {
            directoryOnly = true;
            n--;
        }
        boolean anchored = false;
        if (n > start && cps[start] == '/') {
            anchored = true;
            start++;
        }
        if (n <= start) {
            throw new InvalidPatternException(line, text, "there is nothing to match; remove the line");
        }
        List<Glob> parts = new ArrayList<>();
        int from = start;
        for (int i = start; i <= n; i++) {
            if (i < n && cps[i] != '/') {
                continue;
            }
            if (i < n) {
                anchored = true; // a '/' in the middle
            }
            int[] c = Arrays.copyOfRange(cps, from, i);
            boolean[] e = Arrays.copyOfRange(esc, from, i);
            parts.add(component(c, e, text, line));
            from = i + 1;
        }
        if (!anchored) {
            parts.addFirst(GLOBSTAR);
        }
        return new IgnorePattern(line, text, negated, directoryOnly, parts.toArray(Glob[]::new));
    }

    private static Glob component(int[] c, boolean[] e, String text, int line) throws InvalidPatternException {
        if (c.length == 0) {
            throw new InvalidPatternException(line, text, "it has an empty path component ('//'); use a single '/'");
        }
        if (c.length == 2 && c[0] == '*' && c[1] == '*' && !e[0] && !e[1]) {
            return GLOBSTAR;
        }
        if (c[0] == '.' && (c.length == 1 || (c.length == 2 && c[1] == '.'))) {
            throw new InvalidPatternException(line, text, "'.' and '..' never match a path inside the folder;"
                    + " write the path from the folder root instead");
        }
        try {
            return Glob.compile(c, e);
        } catch (IllegalArgumentException ex) {
            throw new InvalidPatternException(line, text, ex.getMessage());
        }
    }

    public int line() {
        return line;
    }

    /** The line as written. */
    public String source() {
        return source;
    }

    public boolean negated() {
        return negated;
    }

    public boolean directoryOnly() {
        return directoryOnly;
    }

    /** Whether this pattern (ignoring its negation) matches the path made of {@code components}. */
    boolean matches(String[] components, int count, boolean isDirectory) {
        if (directoryOnly && !isDirectory) {
            return false;
        }
        boolean[][] failed = new boolean[parts.length + 1][count + 1];
        return match(0, 0, components, count, failed);
    }

    private boolean match(int p, int s, String[] comps, int count, boolean[][] failed) {
        if (p == parts.length) {
            return s == count;
        }
        if (failed[p][s]) {
            return false;
        }
        boolean ok;
        if (parts[p] == GLOBSTAR) {
            ok = false;
            int least = p == parts.length - 1 ? 1 : 0; // a trailing ** matches what is inside, not the directory
            for (int k = s + least; k <= count && !ok; k++) {
                ok = match(p + 1, k, comps, count, failed);
            }
        } else {
            ok = s < count && parts[p].matches(comps[s]) && match(p + 1, s + 1, comps, count, failed);
        }
        if (!ok) {
            failed[p][s] = true;
        }
        return ok;
    }

    @Override
    public String toString() {
        return "line " + line + ": " + source;
    }
}
