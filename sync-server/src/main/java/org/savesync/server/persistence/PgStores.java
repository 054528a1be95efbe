package org.savesync.server.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.membership.GroupId;

/**
 * The hub's {@link StoreProvider}: every group's index in PostgreSQL, one set of tables keyed
 * by group id (see {@link PgIndexStore}). Each group is loaded once, on its first
 * {@link #open}, and stays in memory until {@link #remove}; a group counts as held
 * ({@link #groups}) once its {@code GroupInfo} is saved.
 *
 * <p>Only one provider may serve a group at a time: two would each cache their own view (a
 * second hub process on the same database needs a lease per group first).
 */
@ApplicationScoped
public class PgStores implements StoreProvider {
    private final Map<GroupId, PgIndexStore> open = new HashMap<>();
    private final GroupCommit commit;
    private final ChunkGuard guard;

    /**
     * @param commit writes the groups' batched rows (chunk lists and completion marks)
     * @param guard  sees every chunk list before it is written (the garbage collector's)
     */
    @jakarta.inject.Inject
    public PgStores(GroupCommit commit, ChunkGuard guard) {
        this.commit = commit;
        this.guard = guard;
    }

    /** A provider with a guard of its own (tests that run no garbage collection). */
    public PgStores(GroupCommit commit) {
        this(commit, new ChunkGuard());
    }

    /** The group's index; the returned store is a {@link org.savesync.core.index.ReplicaIndex}. */
    @Override
    public synchronized PgIndexStore open(GroupId group) {
        return open.computeIfAbsent(group, g -> PgIndexStore.load(g, commit, guard));
    }

    @Override
    public Collection<GroupId> groups() {
        try {
            List<byte[]> ids = QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                    .createQuery("select g.groupId from GroupEntity g", byte[].class).getResultList());
            return ids.stream().map(GroupId::of).sorted().toList();
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "list groups", e);
        }
    }

    /** Deletes all of the group's rows in one transaction; a store already handed out refuses further writes. */
    @Override
    public synchronized void remove(GroupId group) {
        PgIndexStore store = open.remove(group);
        if (store != null) {
            try {
                store.removeAll();
            } catch (RuntimeException e) {
                open.put(group, store); // nothing was deleted: the store stays usable
                throw e;
            }
        } else {
            PgIndexStore.deleteRows(group);
        }
    }

    /** Current (not superseded) entries of all groups, for metrics. */
    public long totalEntries() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                    .createQuery("select count(e) from EntryEntity e where e.superseded = false", Long.class)
                    .getSingleResult());
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "count entries", e);
        }
    }
}
