package org.savesync.core.folder;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rules for names and relative paths that the scanner and {@link SafeFolder} share, so that
 * nothing is written under a name a scan would not report.
 */
final class Names {
    /** The reserved top-level directory: temporary files, never scanned, never written by the engine. */
    static final String RESERVED = ".savesync";

    /**
     * Component-wise, code-point order: a directory sorts right before its own contents, and its
     * whole subtree sorts before the next sibling ({@code "a", "a/x", "a b"}). {@code '/'} sorts
     * below every other character; other characters compare by Unicode code point (UTF-16
     * surrogates rank above every BMP character, as their code points do).
     */
    static final Comparator<String> PATH_ORDER = Names::comparePaths;

    private Names() {
    }

    static int comparePaths(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x == y) {
                continue;
            }
            if (x == '/') {
                return -1;
            }
            if (y == '/') {
                return 1;
            }
            boolean sx = Character.isSurrogate(x);
            boolean sy = Character.isSurrogate(y);
            if (sx != sy) {
                return sx ? 1 : -1;
            }
            return Character.compare(x, y);
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Whether a file name read from disk survives decoding to a String and encoding back. */
    static boolean roundTrips(Path fileName) {
        try {
            return fileName.getFileSystem().getPath(fileName.toString()).equals(fileName);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Null if {@code name} may be synced, else why not (backslash or control characters). */
    static String unsupportedCharacter(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\') {
                return "contains a backslash, which is a path separator on Windows";
            }
            if (Character.isISOControl(c)) {
                return String.format("contains the control character U+%04X", (int) c);
            }
        }
        return null;
    }

    static String nfc(String s) {
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    /**
     * Splits a relative path into its components, or returns the reason it is unacceptable:
     * empty, absolute, empty / {@code .} / {@code ..} components, NUL, backslash or control
     * characters, not NFC, or inside the reserved {@code .savesync/}.
     */
    static List<String> split(String rel) throws InvalidPath {
        if (rel == null || rel.isEmpty()) {
            throw new InvalidPath("the path is empty");
        }
        if (rel.charAt(0) == '/') {
            throw new InvalidPath("the path is absolute");
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (true) {
            int slash = rel.indexOf('/', start);
            String part = slash < 0 ? rel.substring(start) : rel.substring(start, slash);
            if (part.isEmpty()) {
                throw new InvalidPath("the path has an empty component");
            }
            if (part.equals(".") || part.equals("..")) {
                throw new InvalidPath("the path has a '" + part + "' component");
            }
            String bad = unsupportedCharacter(part);
            if (bad != null) {
                throw new InvalidPath("a component " + bad);
            }
            if (!Normalizer.isNormalized(part, Normalizer.Form.NFC)) {
                throw new InvalidPath("the path is not NFC-normalised");
            }
            parts.add(part);
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        if (parts.get(0).equals(RESERVED)) {
            throw new InvalidPath("'" + RESERVED + "/' is reserved for SaveSync's temporary files");
        }
        return parts;
    }

    /** A relative path the folder code will not touch; callers turn it into their own exception. */
    static final class InvalidPath extends Exception {
        InvalidPath(String message) {
            super(message, null, false, false);
        }
    }
}
