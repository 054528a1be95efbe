package org.savesync.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.server.persistence.HubStorageException;

/**
 * The audit log ({@code audit_event}): every change made through the admin APIs, with who made
 * it ({@link Actor}) and the state before and after as JSON. {@link #record} is the one way in
 * and runs only inside the transaction of the change it records, so an event is stored exactly
 * when its change is.
 */
@ApplicationScoped
public class AuditLog {
    private static final String INSERT = "INSERT INTO audit_event (at, actor, action, group_id, node_id, before, after)"
            + " VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))";
    private static final String SELECT = "SELECT id, at, actor, action, group_id, node_id, before::text, after::text"
            + " FROM audit_event";

    private final DataSource db;
    private final Actor actor;
    private final ObjectMapper json;

    AuditLog(DataSource db, Actor actor, ObjectMapper json) {
        this.db = db;
        this.actor = actor;
        this.json = json;
    }

    /**
     * Records a change by the current {@link Actor}, in the caller's transaction (there must be
     * one). {@code before} and {@code after} are written as JSON (Jackson); null when there was
     * no state before (a creation) or is none after (a deletion).
     *
     * @param action what was done, {@code noun.verb} ({@code retention.set})
     * @param group  the group concerned, or null
     * @param node   the node concerned, or null
     * @return the time recorded for the event (microseconds, as PostgreSQL keeps it)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Instant record(String action, GroupId group, NodeId node, Object before, Object after) {
        return recordAs(actor.current(), action, group, node, before, after);
    }

    /**
     * Records a change made by {@code who} rather than by the current request's actor: what a
     * node did by itself (joined with an invite, left), as its group's authority saw it. Same
     * transaction rule as {@link #record}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Instant recordAs(String who, String action, GroupId group, NodeId node, Object before, Object after) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setObject(1, at.atOffset(ZoneOffset.UTC));
            s.setString(2, who);
            s.setString(3, action);
            setBytes(s, 4, group == null ? null : group.bytes());
            setBytes(s, 5, node == null ? null : node.bytes());
            s.setString(6, toJson(before));
            s.setString(7, toJson(after));
            s.executeUpdate();
        } catch (SQLException e) {
            throw HubStorageException.databaseFailure(group, "record audit event " + action, e);
        }
        return at;
    }

    /** The events {@code q} selects, newest first, and the cursor of the next page. */
    public AuditQuery.Page find(AuditQuery q) {
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> args = new ArrayList<>();
        String and = " WHERE ";
        if (q.group().isPresent()) {
            sql.append(and).append("group_id = ?");
            args.add(q.group().get().bytes());
            and = " AND ";
        }
        if (q.actor().isPresent()) {
            sql.append(and).append("actor = ?");
            args.add(q.actor().get());
            and = " AND ";
        }
        if (q.action().isPresent()) {
            sql.append(and).append("action = ?");
            args.add(q.action().get());
            and = " AND ";
        }
        if (q.from().isPresent()) {
            sql.append(and).append("at >= ?");
            args.add(q.from().get().atOffset(ZoneOffset.UTC));
            and = " AND ";
        }
        if (q.to().isPresent()) {
            sql.append(and).append("at < ?");
            args.add(q.to().get().atOffset(ZoneOffset.UTC));
            and = " AND ";
        }
        if (q.before().isPresent()) {
            sql.append(and).append("id < ?");
            args.add(q.before().get());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit() + 1); // one more: is there a next page?
        List<AuditEvent> events = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(event(r));
                }
            }
        } catch (SQLException e) {
            throw HubStorageException.databaseFailure(null, "read the audit log", e);
        }
        if (events.size() <= q.limit()) {
            return new AuditQuery.Page(events, Optional.empty());
        }
        List<AuditEvent> page = List.copyOf(events.subList(0, q.limit()));
        return new AuditQuery.Page(page, Optional.of(Long.toString(page.getLast().id())));
    }

    private static AuditEvent event(ResultSet r) throws SQLException {
        byte[] group = r.getBytes(5);
        byte[] node = r.getBytes(6);
        return new AuditEvent(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(), r.getString(3), r.getString(4),
                group == null ? null : GroupId.of(group), node == null ? null : NodeId.of(node), r.getString(7),
                r.getString(8));
    }

    private String toJson(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON for the"
                    + " audit log: " + e.getOriginalMessage(), e);
        }
    }

    private static void setBytes(PreparedStatement s, int index, byte[] bytes) throws SQLException {
        if (bytes == null) {
            s.setNull(index, Types.BINARY);
        } else {
            s.setBytes(index, bytes);
        }
    }
}
