package org.savesync.server.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.savesync.server.admin.AdminException;

/**
 * Query parameters parsed here rather than by JAX-RS, which answers a malformed number with a
 * bare 404: a refusal names the parameter and what it takes.
 */
final class RestParams {
    /** Longer values are refused unread. */
    private static final int MAX_LENGTH = 64;

    private RestParams() {
    }

    static Long optionalLong(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (value.length() > MAX_LENGTH) {
                throw new NumberFormatException();
            }
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw AdminException.invalid(name, "'" + shown(value) + "' is not a whole number");
        }
    }

    static Integer optionalInt(String name, String value) {
        Long v = optionalLong(name, value);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw AdminException.invalid(name, v + " is out of range");
        }
        return v == null ? null : v.intValue();
    }

    /** An ISO-8601 instant such as {@code 2026-12-01T10:00:00Z}. */
    static Instant optionalInstant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            if (value.length() > MAX_LENGTH) {
                throw new DateTimeParseException("too long", value, 0);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw AdminException.invalid(name, "'" + shown(value) + "' is not a time; give an ISO-8601 instant"
                    + " such as 2026-12-01T10:00:00Z");
        }
    }

    private static String shown(String value) {
        String cut = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
