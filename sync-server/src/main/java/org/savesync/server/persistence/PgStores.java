// PLACEHOLDER: replaced by the persistence branch
package org.savesync.server.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.index.ReplicaIndex;
import org.savesync.core.index.StoreProvider;
import org.savesync.core.membership.GroupId;

/** The hub's group indexes. Placeholder: in memory, forgotten at exit. */
@ApplicationScoped
public class PgStores implements StoreProvider {
    private final Map<GroupId, InMemoryReplicaIndex> stores = new ConcurrentHashMap<>();

    @Override
    public ReplicaIndex open(GroupId group) {
        return stores.computeIfAbsent(group, g -> new InMemoryReplicaIndex());
    }

    @Override
    public Collection<GroupId> groups() {
        return stores.entrySet().stream().filter(e -> e.getValue().info().isPresent()).map(Map.Entry::getKey).toList();
    }

    @Override
    public void remove(GroupId group) {
        stores.remove(group);
    }

    /** Entries held across every group (the newest of each author and path). */
    public long totalEntries() {
        return stores.values().stream().mapToLong(InMemoryReplicaIndex::entryCount).sum();
    }
}
