package org.savesync.core.engine;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.IndexStore;
import org.savesync.core.membership.GroupId;

/**
 * The groups this node was removed from, stopped: the replica (for its index and info, shown
 * by {@link GroupHandle}) and the record {@link Removals} keeps across restarts. A removed group
 * syncs nothing, takes no links and is not dialled; joining it again with a new ticket forgets
 * the record. Engine thread for changes; reads from any thread.
 */
final class RemovedGroups {
    private record Stopped(GroupReplica replica, Removals.Removed record) {
    }

    private static final Logger LOG = Logger.getLogger(RemovedGroups.class);

    private final SyncEngine engine;
    private final Map<GroupId, Stopped> groups = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    RemovedGroups(SyncEngine engine) {
        this.engine = engine;
    }

    /** {@code r}, stopped by the caller, was removed by {@code by}: recorded, kept to be shown. */
    void add(GroupReplica r, NodeId by) {
        Removals.Removed rec = new Removals.Removed(r.id, by, engine.config().wallClock().getAsLong());
        engine.config().removals().save(rec);
        groups.put(r.id, new Stopped(r, rec));
        LOG.warnf("group %s (%s): this node was removed from the group by its authority %s; it stops syncing,"
                + " its files stay in %s", r.info().name(), r.id, by, r.root);
    }

    /** At start: a group this node was removed from is kept stopped (never started), to be shown. */
    void keep(IndexStore store, GroupInfo info, Removals.Removed rec) {
        try {
            groups.put(info.id(), new Stopped(new GroupReplica(engine, store, info), rec));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("group %s: removed from it, and its folder cannot be opened to show it: %s", info.id(),
                    Failure.describe(e));
        }
    }

    /** The group is joined again: its removal is forgotten (a no-op when it was never removed). */
    void forget(GroupId id) {
        if (groups.remove(id) != null || engine.config().removals().get(id).isPresent()) {
            engine.config().removals().remove(id);
        }
    }

    Optional<GroupReplica> replica(GroupId id) {
        return Optional.ofNullable(groups.get(id)).map(Stopped::replica);
    }

    Optional<Removals.Removed> record(GroupId id) {
        return Optional.ofNullable(groups.get(id)).map(Stopped::record);
    }

    Collection<GroupReplica> replicas() {
        synchronized (groups) {
            return List.copyOf(groups.values().stream().map(Stopped::replica).toList());
        }
    }
}
