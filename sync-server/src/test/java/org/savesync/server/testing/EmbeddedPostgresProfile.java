package org.savesync.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The hub as it runs, on a fresh database of its own embedded PostgreSQL: needs nothing on the
 * machine, so the tests that use it run everywhere.
 */
public class EmbeddedPostgresProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedPostgres.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
