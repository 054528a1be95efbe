package org.savesync.server.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Set;

/** The hub on a fresh database of the external server, with a settable {@link TestPresence}. */
public class ExternalPostgresProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ExternalPostgres.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestPresence.class);
    }
}
