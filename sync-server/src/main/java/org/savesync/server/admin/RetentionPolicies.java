package org.savesync.server.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.savesync.core.membership.GroupId;
import org.savesync.server.persistence.HubStorageException;

/**
 * The retention policy of each group ({@code retention_policy}): Set, Get, List and Delete for
 * both admin APIs. A Set or Delete and its audit event ({@code retention.set}, {@code
 * retention.delete}, before and after as JSON) are one transaction. The policy row is locked
 * while it changes, so the version goes up by exactly one on each Set; with an expected version
 * a Set or Delete fails with {@link AdminException.Code#ABORTED} when another came first.
 */
@ApplicationScoped
public class RetentionPolicies {
    /** Audit action of a Set. */
    public static final String SET = "retention.set";
    /** Audit action of a Delete. */
    public static final String DELETE = "retention.delete";

    private static final String COLUMNS = "group_id, keep_versions, keep_days, quota_bytes, version, updated_by,"
            + " updated_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM retention_policy";
    private static final String INSERT = "INSERT INTO retention_policy (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE retention_policy SET keep_versions = ?, keep_days = ?,"
            + " quota_bytes = ?, version = ?, updated_by = ?, updated_at = ? WHERE group_id = ?";

    private final DataSource db;
    private final AuditLog audit;
    private final Actor actor;

    RetentionPolicies(DataSource db, AuditLog audit, Actor actor) {
        this.db = db;
        this.audit = audit;
        this.actor = actor;
    }

    /** The group's policy, or its {@link RetentionPolicy#defaults}; NOT_FOUND when the hub holds no such group. */
    public RetentionPolicy get(GroupId group) {
        return sql(group, "read the retention policy", c -> {
            Optional<RetentionPolicy> own = stored(c, group, false);
            if (own.isPresent()) {
                return own.get();
            }
            requireHeld(c, group);
            return RetentionPolicy.defaults(group);
        });
    }

    /** The policy of every group the hub holds (its own or the defaults), by group id. */
    public List<RetentionPolicy> list() {
        return sql(null, "list retention policies", c -> {
            Map<GroupId, RetentionPolicy> own = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(SELECT); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    RetentionPolicy p = policy(r);
                    own.put(p.group(), p);
                }
            }
            List<RetentionPolicy> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT group_id FROM groups");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    GroupId g = GroupId.of(r.getBytes(1));
                    out.add(own.getOrDefault(g, RetentionPolicy.defaults(g)));
                }
            }
            out.sort((a, b) -> a.group().compareTo(b.group()));
            return out;
        });
    }

    /**
     * Sets the group's policy (fields left null take their defaults) and records it in the
     * audit log. Refuses a value out of range (INVALID_ARGUMENT), a group the hub does not hold
     * (NOT_FOUND) and an expected version that is not the current one (ABORTED).
     */
    @Transactional
    public RetentionPolicy set(GroupId group, RetentionPolicy.Change change) {
        RetentionPolicy.Change values = change.resolved();
        return sql(group, "set the retention policy", c -> {
            requireHeld(c, group);
            Optional<RetentionPolicy> before = stored(c, group, true);
            long current = before.map(RetentionPolicy::version).orElse(0L);
            checkExpected(group, values.expectedVersion(), current);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
            RetentionPolicy after = new RetentionPolicy(group, values.keepVersions().intValue(),
                    values.keepDays().intValue(), values.quotaBytes(), current + 1, actor.current(), now);
            write(c, after, before.isPresent());
            audit.record(SET, group, null, before.map(RetentionPolicy::auditView).orElse(null), after.auditView());
            return after;
        });
    }

    /**
     * Deletes the group's own policy (it has the defaults again) and records it in the audit
     * log; NOT_FOUND when it has none, ABORTED when {@code expectedVersion} is given and not the
     * current one. Returns the deleted policy.
     */
    @Transactional
    public RetentionPolicy delete(GroupId group, Long expectedVersion) {
        return sql(group, "delete the retention policy", c -> {
            Optional<RetentionPolicy> before = stored(c, group, true);
            if (before.isEmpty()) {
                requireHeld(c, group);
                throw AdminException.notFound("group " + group + " has no retention policy of its own (it has the"
                        + " defaults); nothing to delete");
            }
            checkExpected(group, expectedVersion, before.get().version());
            try (PreparedStatement s = c.prepareStatement("DELETE FROM retention_policy WHERE group_id = ?")) {
                s.setBytes(1, group.bytes());
                s.executeUpdate();
            }
            audit.record(DELETE, group, null, before.get().auditView(), null);
            return before.get();
        });
    }

    /** The group's own policy, locked for the rest of the transaction when {@code lock}. */
    private static Optional<RetentionPolicy> stored(Connection c, GroupId group, boolean lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE group_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            s.setBytes(1, group.bytes());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(policy(r)) : Optional.empty();
            }
        }
    }

    private static void requireHeld(Connection c, GroupId group) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM groups WHERE group_id = ?")) {
            s.setBytes(1, group.bytes());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw AdminException.notFound("the hub holds no group " + group + "; GET /api/v1/groups"
                            + " (or GroupAdmin.ListGroups) lists the groups");
                }
            }
        }
    }

    private static void checkExpected(GroupId group, Long expected, long current) {
        if (expected != null && expected != current) {
            throw AdminException.aborted("the retention policy of group " + group + " is at version " + current
                    + ", not the expected " + expected + " (changed since it was read); read it again and retry");
        }
    }

    private static void write(Connection c, RetentionPolicy p, boolean exists) throws SQLException {
        if (exists) {
            try (PreparedStatement s = c.prepareStatement(UPDATE)) {
                s.setInt(1, p.keepVersions());
                s.setInt(2, p.keepDays());
                s.setLong(3, p.quotaBytes());
                s.setLong(4, p.version());
                s.setString(5, p.updatedBy());
                s.setObject(6, p.updatedAt().atOffset(ZoneOffset.UTC));
                s.setBytes(7, p.group().bytes());
                s.executeUpdate();
            }
            return;
        }
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setBytes(1, p.group().bytes());
            s.setInt(2, p.keepVersions());
            s.setInt(3, p.keepDays());
            s.setLong(4, p.quotaBytes());
            s.setLong(5, p.version());
            s.setString(6, p.updatedBy());
            s.setObject(7, p.updatedAt().atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) { // unique_violation: another Set created it first
                throw AdminException.aborted("another Set created the retention policy of group " + p.group()
                        + " at the same time; read it again and retry");
            }
            throw e;
        }
    }

    private static RetentionPolicy policy(ResultSet r) throws SQLException {
        return new RetentionPolicy(GroupId.of(r.getBytes(1)), r.getInt(2), r.getInt(3), r.getLong(4), r.getLong(5),
                r.getString(6), r.getObject(7, OffsetDateTime.class).toInstant());
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a connection (the transaction's, inside one); database failures become HubStorageException. */
    private <T> T sql(GroupId group, String operation, Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw HubStorageException.databaseFailure(group, operation, e);
        }
    }
}
