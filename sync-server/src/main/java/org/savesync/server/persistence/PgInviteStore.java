package org.savesync.server.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Invite;
import org.savesync.core.membership.InviteRefusedException;
import org.savesync.core.membership.InviteStore;
import org.savesync.core.membership.Role;

/**
 * The hub's invites in PostgreSQL ({@code invite}, see {@code V3__invites.sql}): the {@link
 * InviteStore} under the engine's invite registry, so that invites, their uses and the reasons
 * dead ones died survive a restart of the hub. Each write is its own transaction (the registry
 * calls from the engine thread, outside any request); a failed one throws {@link
 * HubStorageException} and the registry then changes nothing. Only invite ids are stored.
 */
@ApplicationScoped
public class PgInviteStore implements InviteStore {
    private static final String COLUMNS = "invite_id, group_id, role, max_uses, uses, created_at, expires_at, created_by";
    private static final String UPSERT = "INSERT INTO invite (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (invite_id) DO UPDATE SET uses = EXCLUDED.uses";
    private static final String BURY = "UPDATE invite SET dead_reason = ?, forget_at_ms = ?, died = nextval('invite_death')"
            + " WHERE invite_id = ?";

    private final DataSource db;

    PgInviteStore(DataSource db) {
        this.db = db;
    }

    @Override
    public Contents load() {
        return sql("load invites", c -> {
            List<Invite> live = new ArrayList<>();
            List<Tombstone> dead = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + ", dead_reason, forget_at_ms FROM invite"
                    + " ORDER BY died NULLS FIRST, created_at"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    GroupId group = GroupId.of(r.getBytes(2));
                    long expires = millis(r, 7);
                    String reason = r.getString(9);
                    if (reason == null) {
                        live.add(new Invite(r.getString(1), group, Role.valueOf(r.getString(3)), r.getInt(4), r.getInt(5),
                                millis(r, 6), expires, r.getString(8)));
                    } else {
                        dead.add(new Tombstone(r.getString(1), group, InviteRefusedException.Reason.valueOf(reason),
                                r.getInt(4), expires, r.getLong(10)));
                    }
                }
            }
            return new Contents(live, dead);
        });
    }

    @Override
    public void saveLive(Invite i) {
        sql("save invite " + i.id(), c -> {
            try (PreparedStatement s = c.prepareStatement(UPSERT)) {
                s.setString(1, i.id());
                s.setBytes(2, i.group().bytes());
                s.setString(3, i.role().name());
                s.setInt(4, i.maxUses());
                s.setInt(5, i.uses());
                s.setObject(6, i.createdAt().atOffset(ZoneOffset.UTC));
                s.setObject(7, i.expiresAt().atOffset(ZoneOffset.UTC));
                s.setString(8, i.createdBy());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void bury(Tombstone t) {
        sql("retire invite " + t.id(), c -> {
            try (PreparedStatement s = c.prepareStatement(BURY)) {
                s.setString(1, t.reason().name());
                s.setLong(2, t.forgetAtMillis());
                s.setString(3, t.id());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void forget(String id) {
        sql("forget invite " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM invite WHERE invite_id = ?")) {
                s.setString(1, id);
                return s.executeUpdate();
            }
        });
    }

    private static long millis(ResultSet r, int column) throws SQLException {
        Instant at = r.getObject(column, OffsetDateTime.class).toInstant();
        return at.toEpochMilli();
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T sql(String operation, Work<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = db.getConnection()) {
                    return work.run(c);
                }
            });
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, operation,
                    e.getCause() instanceof SQLException s ? s : e);
        }
    }
}
