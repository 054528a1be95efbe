package org.savesync.agent.persistence;

import org.savesync.core.index.IndexStoreContractTest;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.index.StoreProvider;

/** The contract against sync-core's reference store: what {@link H2IndexStoreContractTest} must match. */
class InMemoryIndexStoreContractTest extends IndexStoreContractTest {
    private final InMemoryStores stores = new InMemoryStores();

    @Override
    protected StoreProvider provider() {
        return stores;
    }

    /** The in-memory provider is its own persistent state: engines restart on the same instance. */
    @Override
    protected StoreProvider reopen() {
        return stores;
    }

    @Override
    protected String name() {
        return "in-memory";
    }
}
