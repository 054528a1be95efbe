package org.savesync.core.replication;

/**
 * A path that must not be synced: it could escape the folder, collide with the engine's
 * own files, or cannot be created on some major operating system. The message names the
 * rule; control characters in the path are shown escaped.
 */
public final class UnsafePathException extends IllegalArgumentException {
    private final String path;
    private final String reason;

    public UnsafePathException(String path, String reason) {
        super("unsafe path '" + printable(path) + "': " + reason
                + " (such paths are refused so a file cannot escape the folder or break on another OS; rename it)");
        this.path = path;
        this.reason = reason;
    }

    /** The refused path, exactly as given. */
    public String path() {
        return path;
    }

    /** The rule it broke. */
    public String reason() {
        return reason;
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(s.length(), 300);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (c < 0x20 || c == 0x7f || lone) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return limit < s.length() ? sb.append("…").toString() : sb.toString();
    }
}
