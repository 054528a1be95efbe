package org.savesync.agent.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.savesync.core.index.InMemoryStores;
import org.savesync.core.index.StoreProvider;

/** Opens the agent's index store in its data dir. */
@ApplicationScoped
public class StoreFactory {

    public StoreProvider open(Path dataDir) {
        return new InMemoryStores();
    }

    public void close() {
    }
}
