package org.savesync.core.replication;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;
import org.savesync.core.identity.NodeId;

/**
 * Names of conflict copies, which every replica derives the same way so they all
 * materialise the same file: {@code name.sync-conflict-YYYYMMDD-HHMMSS-<author7>.ext} in the
 * same directory, with the time from the losing entry's HLC in UTC and the first 7
 * characters of the losing author's node id. {@code .ext} is the part after the last dot of
 * the name when that dot is not the first character:
 * <pre>
 *   report.pdf  → report.sync-conflict-20240501-120000-abcdefg.pdf
 *   a.tar.gz    → a.tar.sync-conflict-20240501-120000-abcdefg.gz
 *   .bashrc     → .bashrc.sync-conflict-20240501-120000-abcdefg
 *   Makefile    → Makefile.sync-conflict-20240501-120000-abcdefg
 * </pre>
 * When the result would exceed the 255-byte component limit, the part before the marker is
 * shortened (at a character boundary) until it fits.
 */
public final class ConflictNames {
    static final String MARKER = ".sync-conflict-";
    /** Keep at least this much of the original name when shortening. */
    private static final int MIN_BASE_BYTES = 16;
    private static final Pattern COPY = Pattern.compile(".+\\.sync-conflict-\\d{8}-\\d{6}-[a-z2-7]{7}(\\.[^.]+)?");

    private ConflictNames() {
    }

    /** Where the losing side of a conflict at {@code path} is kept. */
    public static SafePath conflictCopyPath(SafePath path, long loserHlc, NodeId loserAuthor) {
        String name = path.name();
        String tail = MARKER + timestamp(loserHlc) + "-" + loserAuthor.shortId(7);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        if (utf8Length(tail + ext) > SafePath.MAX_COMPONENT_BYTES - MIN_BASE_BYTES) {
            // An extension this long is no extension: keep it in the part that gets shortened.
            base = name;
            ext = "";
        }
        int room = SafePath.MAX_COMPONENT_BYTES - utf8Length(tail + ext);
        return path.withName(shorten(base, room) + tail + ext);
    }

    /** Whether {@code path}'s name has the shape of a conflict copy. */
    public static boolean isConflictCopy(SafePath path) {
        return COPY.matcher(path.name()).matches();
    }

    private static String timestamp(long hlc) {
        ZonedDateTime t = Instant.ofEpochMilli(Hlc.millis(hlc)).atZone(ZoneOffset.UTC);
        return String.format("%04d%02d%02d-%02d%02d%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
    }

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that ends on a character and stays NFC. */
    private static String shorten(String s, int maxBytes) {
        if (utf8Length(s) <= maxBytes) {
            return s;
        }
        int end = s.length();
        while (end > 0) {
            end = s.offsetByCodePoints(end, -1);
            String prefix = s.substring(0, end);
            if (!prefix.isEmpty() && utf8Length(prefix) <= maxBytes && Normalizer.isNormalized(prefix, Normalizer.Form.NFC)) {
                return prefix;
            }
        }
        throw new IllegalStateException("cannot shorten '" + s + "' to " + maxBytes + " bytes");
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
