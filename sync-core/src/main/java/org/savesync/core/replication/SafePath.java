package org.savesync.core.replication;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A path inside a synced folder that is safe to create on every major OS. Rules, checked by
 * {@link #of(String)} (each failure is an {@link UnsafePathException} naming the rule):
 * <ul>
 *   <li>not empty, at most {@value #MAX_BYTES} bytes of UTF-8, valid Unicode (no lone surrogates);</li>
 *   <li>already NFC ({@link #normalize(String)} normalises first, for local scans);</li>
 *   <li>relative and {@code /}-separated: no leading or trailing {@code /}, no empty component;</li>
 *   <li>no component {@code .} or {@code ..};</li>
 *   <li>no backslash, no control character (U+0000..U+001F, U+007F), none of {@code < > : " | ? *};</li>
 *   <li>no component ending in {@code .} or space, none longer than {@value #MAX_COMPONENT_BYTES} UTF-8 bytes;</li>
 *   <li>no component whose base name (the part before the first {@code .}, trailing spaces
 *       ignored) is a Windows device name, in any letter case: CON, PRN, AUX, NUL, COM1-9,
 *       LPT1-9, COM¹ COM² COM³, LPT¹ LPT² LPT³ (so {@code con.txt} is refused too);</li>
 *   <li>the first component is not {@value #ENGINE_DIR} in any letter case: that directory
 *       holds the engine's temporary files (case-insensitive because it would be the same
 *       directory on macOS and Windows).</li>
 * </ul>
 * Ordering is {@link String#compareTo} on the text.
 */
public final class SafePath implements Comparable<SafePath> {
    public static final int MAX_BYTES = 4096;
    public static final int MAX_COMPONENT_BYTES = 255;
    public static final String ENGINE_DIR = ".savesync";
    private static final String FORBIDDEN = "<>:\"|?*";
    private static final Set<String> DEVICE_NAMES = deviceNames();

    private final String path;

    private SafePath(String path) {
        this.path = path;
    }

    /**
     * The safe path for {@code path}, which must already be NFC.
     *
     * @throws UnsafePathException naming the rule it breaks
     */
    public static SafePath of(String path) {
        if (path == null) {
            throw new UnsafePathException(null, "no path given");
        }
        if (path.isEmpty()) {
            throw new UnsafePathException(path, "empty path");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(path.charAt(i - 1)))) {
                throw new UnsafePathException(path, "not valid Unicode: lone surrogate at index " + i);
            }
            if (c < 0x20 || c == 0x7f) {
                throw new UnsafePathException(path, "control character U+" + String.format("%04X", (int) c) + " at index " + i);
            }
            if (c == '\\') {
                throw new UnsafePathException(path, "backslash at index " + i + "; separate components with '/'");
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                throw new UnsafePathException(path, "character '" + c + "' at index " + i
                        + " is not allowed on Windows (none of " + FORBIDDEN + ")");
            }
        }
        int bytes = utf8Length(path);
        if (bytes > MAX_BYTES) {
            throw new UnsafePathException(path, "longer than " + MAX_BYTES + " bytes of UTF-8 (" + bytes + ")");
        }
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
            throw new UnsafePathException(path, "not in Unicode NFC form; normalise it first");
        }
        if (path.startsWith("/")) {
            throw new UnsafePathException(path, "absolute path; paths are relative to the folder");
        }
        if (path.endsWith("/")) {
            throw new UnsafePathException(path, "trailing '/'");
        }
        String[] parts = path.split("/", -1);
        for (String c : parts) {
            checkComponent(path, c);
        }
        if (parts[0].toLowerCase(Locale.ROOT).equals(ENGINE_DIR)) {
            throw new UnsafePathException(path, "the top-level '" + ENGINE_DIR + "' directory is reserved for SaveSync's temporary files");
        }
        return new SafePath(path);
    }

    /** NFC-normalises {@code path}, then {@link #of}: for names read from the local file system. */
    public static SafePath normalize(String path) {
        if (path == null) {
            throw new UnsafePathException(null, "no path given");
        }
        return of(Normalizer.normalize(path, Normalizer.Form.NFC));
    }

    private static void checkComponent(String path, String c) {
        if (c.isEmpty()) {
            throw new UnsafePathException(path, "empty component ('//')");
        }
        if (c.equals(".") || c.equals("..")) {
            throw new UnsafePathException(path, "component '" + c + "' is not allowed (no relative steps)");
        }
        if (c.endsWith(".") || c.endsWith(" ")) {
            throw new UnsafePathException(path, "component '" + c + "' ends in '.' or space, which Windows drops");
        }
        int bytes = utf8Length(c);
        if (bytes > MAX_COMPONENT_BYTES) {
            throw new UnsafePathException(path, "a component is longer than " + MAX_COMPONENT_BYTES + " bytes of UTF-8 (" + bytes + ")");
        }
        int dot = c.indexOf('.');
        String base = (dot < 0 ? c : c.substring(0, dot)).stripTrailing().toUpperCase(Locale.ROOT);
        if (DEVICE_NAMES.contains(base)) {
            throw new UnsafePathException(path, "component '" + c + "' is the Windows device name " + base);
        }
    }

    private static Set<String> deviceNames() {
        List<String> names = new ArrayList<>(List.of("CON", "PRN", "AUX", "NUL"));
        for (String p : List.of("COM", "LPT")) {
            for (int i = 1; i <= 9; i++) {
                names.add(p + i);
            }
            for (String sup : List.of("\u00b9", "\u00b2", "\u00b3")) {
                names.add(p + sup);
            }
        }
        return Set.copyOf(names);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The last component. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The containing directory, empty for a top-level path. */
    public Optional<SafePath> parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(new SafePath(path.substring(0, slash)));
    }

    /** All proper ancestors, outermost first: {@code a/b/c} gives {@code a}, {@code a/b}. */
    public List<SafePath> ancestors() {
        List<SafePath> out = new ArrayList<>();
        for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
            out.add(new SafePath(path.substring(0, i)));
        }
        return List.copyOf(out);
    }

    public List<String> components() {
        return List.of(path.split("/"));
    }

    /** True when {@code other} lies strictly inside this path. */
    public boolean isAncestorOf(SafePath other) {
        return other.path.length() > path.length() && other.path.startsWith(path) && other.path.charAt(path.length()) == '/';
    }

    /** {@code this/name}, checked like any other path. */
    public SafePath child(String name) {
        return of(path + "/" + name);
    }

    /** The path with the last component replaced by {@code name}, checked like any other path. */
    public SafePath withName(String name) {
        return parent().map(p -> p.child(name)).orElseGet(() -> of(name));
    }

    /**
     * Where this path lies under {@code root}, component by component. Purely lexical: symlinks
     * on disk are not followed here, and writers must not follow them either.
     */
    public Path resolveIn(Path root) {
        Objects.requireNonNull(root, "root");
        Path p = root;
        for (String c : components()) {
            p = p.resolve(c);
        }
        if (!p.normalize().startsWith(root.normalize()) || p.normalize().equals(root.normalize())) {
            throw new UnsafePathException(path, "resolves outside " + root + " on this file system");
        }
        return p;
    }

    @Override
    public int compareTo(SafePath o) {
        return path.compareTo(o.path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafePath s && path.equals(s.path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
