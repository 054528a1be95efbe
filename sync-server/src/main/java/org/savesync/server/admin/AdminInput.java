package org.savesync.server.admin;

import java.util.Optional;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;

/** Parses the ids and bounded strings admin requests carry, refusing with a message that names the field. */
public final class AdminInput {
    private AdminInput() {
    }

    /** A group id (26 base32 characters), required. */
    public static GroupId group(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw AdminException.invalid(field, "give a group id; GET /api/v1/groups (or GroupAdmin.ListGroups)"
                    + " lists the groups");
        }
        try {
            return GroupId.parse(text);
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid(field, "'" + shown(text) + "' is not a group id: " + e.getMessage());
        }
    }

    /** A node id (52 base32 characters), required. */
    public static NodeId node(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw AdminException.invalid(field, "give a node id; GET /api/v1/enrollments (or"
                    + " GroupAdmin.ListEnrollments) lists the enrolled nodes");
        }
        if (text.length() != NodeId.TEXT_LENGTH) {
            throw AdminException.invalid(field, "a node id is " + NodeId.TEXT_LENGTH + " base32 characters, got "
                    + text.length());
        }
        try {
            return NodeId.parse(text);
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid(field, "'" + shown(text) + "' is not a node id: " + e.getMessage());
        }
    }

    /** A path inside a group's folder ({@code dir/name}), required. */
    public static org.savesync.core.replication.SafePath path(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw AdminException.invalid(field, "give a path in the group's folder, dir/name");
        }
        try {
            return org.savesync.core.replication.SafePath.of(text);
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid(field, "'" + shown(text) + "' is not a path in a group: " + e.getMessage());
        }
    }

    /** A time in UTC, ISO 8601 ({@code 2026-12-08T10:15:30Z}), or {@code otherwise} when null or empty. */
    public static java.time.Instant time(String field, String text, java.time.Instant otherwise) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw AdminException.invalid(field, "'" + shown(text) + "' is not a time; give one in UTC, ISO 8601,"
                    + " like 2026-12-08T10:15:30Z");
        }
    }

    /** A group id, or empty when {@code text} is null or empty. */
    public static Optional<GroupId> optionalGroup(String field, String text) {
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(group(field, text));
    }

    /** A string of at most {@code max} characters, or empty when null or empty. */
    public static Optional<String> optionalText(String field, String text, int max) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.length() > max) {
            throw AdminException.invalid(field, "at most " + max + " characters, got " + text.length());
        }
        return Optional.of(text);
    }

    /** {@code text} cut to 80 printable characters, for a message. */
    public static String shown(String text) {
        StringBuilder b = new StringBuilder();
        String s = text == null ? "" : text;
        s.codePoints().limit(80).forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return s.length() > 80 ? b + "…" : b.toString();
    }
}
