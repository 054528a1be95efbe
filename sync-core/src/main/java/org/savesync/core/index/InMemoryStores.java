package org.savesync.core.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.membership.GroupId;

/** A {@link StoreProvider} of {@link InMemoryIndexStore}s; keep it to restart an engine on the same state. */
public final class InMemoryStores implements StoreProvider {
    private final Map<GroupId, InMemoryIndexStore> stores = new ConcurrentHashMap<>();

    @Override
    public IndexStore open(GroupId group) {
        return stores.computeIfAbsent(group, g -> new InMemoryIndexStore());
    }

    @Override
    public Collection<GroupId> groups() {
        return stores.entrySet().stream().filter(e -> e.getValue().info().isPresent()).map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public void remove(GroupId group) {
        stores.remove(group);
    }

    public List<InMemoryIndexStore> all() {
        return List.copyOf(stores.values());
    }
}
