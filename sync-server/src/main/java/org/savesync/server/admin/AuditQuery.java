package org.savesync.server.admin;

import java.time.Instant;
import java.util.Optional;
import org.savesync.core.membership.GroupId;

/**
 * Which audit events to read, newest first: each filter empty to match every event, {@code from}
 * inclusive and {@code to} exclusive, at most {@code limit} events with an id below {@code
 * before} (the cursor of the previous page).
 */
public record AuditQuery(Optional<GroupId> group, Optional<String> actor, Optional<String> action,
                         Optional<Instant> from, Optional<Instant> to, int limit, Optional<Long> before) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    public static final int MAX_ACTOR_LENGTH = 256;
    public static final int MAX_ACTION_LENGTH = 64;
    /** The longest cursor looked at (a decimal event id). */
    static final int MAX_CURSOR_LENGTH = 19;

    /**
     * A query from what a client sent, each field checked and named in the refusal.
     *
     * @param limit  0 or null for {@value #DEFAULT_LIMIT}, else 1..{@value #MAX_LIMIT}
     * @param cursor null or empty for the first page, else a page's next cursor
     */
    public static AuditQuery of(String group, String actor, String action, Instant from, Instant to, Integer limit,
                                String cursor) {
        int n = limit == null || limit == 0 ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw AdminException.invalid("limit", "must be between 1 and " + MAX_LIMIT + " (0 for " + DEFAULT_LIMIT
                    + "), got " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw AdminException.invalid("from", "must be before to (" + from + " is not before " + to + ")");
        }
        return new AuditQuery(AdminInput.optionalGroup("group", group),
                AdminInput.optionalText("actor", actor, MAX_ACTOR_LENGTH),
                AdminInput.optionalText("action", action, MAX_ACTION_LENGTH),
                Optional.ofNullable(from), Optional.ofNullable(to), n, parseCursor(cursor));
    }

    private static Optional<Long> parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (cursor.length() > MAX_CURSOR_LENGTH) {
                throw new NumberFormatException();
            }
            long id = Long.parseLong(cursor);
            if (id < 1) {
                throw new NumberFormatException();
            }
            return Optional.of(id);
        } catch (NumberFormatException e) {
            throw AdminException.invalid("cursor", "'" + AdminInput.shown(cursor) + "' is not a cursor; give the"
                    + " nextCursor of the previous page, or none for the first page");
        }
    }

    /** One page of events, newest first, and the cursor of the next page (empty on the last). */
    public record Page(java.util.List<AuditEvent> events, Optional<String> nextCursor) {
    }
}
