package org.savesync.core.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * One path component of a pattern: literal code points, {@code *} (any run, possibly empty),
 * {@code ?} (one code point) and bracket classes {@code [abc]}, {@code [a-z]}, {@code [!a]} /
 * {@code [^a]}. A component never holds {@code /}, so none of these can match across one.
 * Case-sensitive; matching is by code point, so {@code ?} matches one emoji.
 */
final class Glob {
    private sealed interface Token permits Literal, AnyOne, Star, CharClass {
    }

    private record Literal(int cp) implements Token {
    }

    private record AnyOne() implements Token {
    }

    private record Star() implements Token {
    }

    /** {@code ranges} holds pairs of inclusive bounds. */
    private record CharClass(boolean negated, int[] ranges) implements Token {
        boolean matches(int cp) {
            boolean in = false;
            for (int i = 0; i < ranges.length && !in; i += 2) {
                in = cp >= ranges[i] && cp <= ranges[i + 1];
            }
            return in != negated;
        }
    }

    private final Token[] tokens;
    /** The literal text when the component has no wildcard (the common case), else null. */
    private final String literal;

    private Glob(Token[] tokens, String literal) {
        this.tokens = tokens;
        this.literal = literal;
    }

    /**
     * Compiles one component given as code points, each flagged when it was escaped with
     * {@code \} (an escaped character is always literal).
     *
     * @throws IllegalArgumentException with the reason when the component is malformed
     */
    static Glob compile(int[] cps, boolean[] escaped) {
        List<Token> out = new ArrayList<>();
        boolean wild = false;
        int i = 0;
        while (i < cps.length) {
            int c = cps[i];
            if (escaped[i]) {
                out.add(new Literal(c));
                i++;
            } else if (c == '*') {
                if (out.isEmpty() || !(out.getLast() instanceof Star)) {
                    out.add(new Star()); // consecutive stars inside a component are one star
                }
                wild = true;
                i++;
            } else if (c == '?') {
                out.add(new AnyOne());
                wild = true;
                i++;
            } else if (c == '[') {
                i = charClass(cps, escaped, i, out);
                wild = true;
            } else {
                out.add(new Literal(c));
                i++;
            }
        }
        String literal = null;
        if (!wild) {
            StringBuilder b = new StringBuilder();
            for (Token t : out) {
                b.appendCodePoint(((Literal) t).cp());
            }
            literal = b.toString();
        }
        return new Glob(out.toArray(Token[]::new), literal);
    }

    /** Parses the class starting at {@code cps[start] == '['}; returns the index after its {@code ]}. */
    private static int charClass(int[] cps, boolean[] escaped, int start, List<Token> out) {
        int i = start + 1;
        boolean negated = false;
        if (i < cps.length && !escaped[i] && (cps[i] == '!' || cps[i] == '^')) {
            negated = true;
            i++;
        }
        List<Integer> ranges = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (i >= cps.length) {
                throw new IllegalArgumentException("'[' is never closed by ']'; write '\\[' for a literal bracket");
            }
            int c = cps[i];
            if (!escaped[i] && c == ']' && !first) {
                i++;
                break;
            }
            if (!escaped[i] && c == '[' && i + 1 < cps.length && cps[i + 1] == ':' && !escaped[i + 1]) {
                throw new IllegalArgumentException("character classes such as [:alpha:] are not supported;"
                        + " list the characters or a range instead");
            }
            first = false;
            int lo = c;
            int hi = c;
            boolean isRange = i + 2 < cps.length && cps[i + 1] == '-' && !escaped[i + 1]
                    && !(cps[i + 2] == ']' && !escaped[i + 2]);
            if (isRange) {
                hi = cps[i + 2];
                if (hi < lo) {
                    throw new IllegalArgumentException("the range " + Character.toString(lo) + "-"
                            + Character.toString(hi) + " is reversed; write it as " + Character.toString(hi) + "-"
                            + Character.toString(lo));
                }
                i += 3;
            } else {
                i++;
            }
            ranges.add(lo);
            ranges.add(hi);
        }
        out.add(new CharClass(negated, ranges.stream().mapToInt(Integer::intValue).toArray()));
        return i;
    }

    /** Whether the whole of {@code name} (one path component) matches. */
    boolean matches(String name) {
        if (literal != null) {
            return literal.equals(name);
        }
        int[] s = name.codePoints().toArray();
        int p = 0;
        int i = 0;
        int starP = -1;
        int starI = -1;
        // Every token but a star consumes exactly one code point, so backtracking to the last
        // star is enough (linear in practice, never exponential).
        while (i < s.length) {
            if (p < tokens.length && !(tokens[p] instanceof Star) && matchesOne(tokens[p], s[i])) {
                p++;
                i++;
            } else if (p < tokens.length && tokens[p] instanceof Star) {
                starP = p++;
                starI = i;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] instanceof Star) {
            p++;
        }
        return p == tokens.length;
    }

    private static boolean matchesOne(Token t, int cp) {
        return switch (t) {
            case Literal l -> l.cp() == cp;
            case AnyOne a -> true;
            case CharClass c -> c.matches(cp);
            case Star s -> throw new AssertionError("a star is not a single character");
        };
    }
}
