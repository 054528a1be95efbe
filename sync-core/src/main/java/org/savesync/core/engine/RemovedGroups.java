package org.savesync.core.engine;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final Map<GroupId, Stopped> groups = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    void add(GroupReplica r, Removals.Removed record) {
        groups.put(r.id, new Stopped(r, record));
    }

    void forget(GroupId id) {
        groups.remove(id);
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
