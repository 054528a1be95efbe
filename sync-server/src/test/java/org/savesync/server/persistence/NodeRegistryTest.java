package org.savesync.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.server.testing.ExternalPostgresProfile;
import org.savesync.server.testing.HubTestData;
import org.savesync.server.testing.RequiresExternalPostgres;

@QuarkusTest
@TestProfile(ExternalPostgresProfile.class)
@RequiresExternalPostgres
class NodeRegistryTest {
    @Inject
    NodeRegistry registry;

    private final NodeId laptop = NodeKey.generate().nodeId();
    private final NodeId phone = NodeKey.generate().nodeId();

    @BeforeEach
    void empty() {
        HubTestData.truncateTables();
    }

    private NodeRecord record(NodeId id) {
        return registry.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void enrollingMakesANodeEnrolledOnceAndKeepsTheFirstTime() {
        assertThat(registry.isEnrolled(laptop)).isFalse();

        registry.enroll(laptop, "laptop", 1_000);
        registry.enroll(laptop, "renamed laptop", 5_000);

        assertThat(registry.isEnrolled(laptop)).isTrue();
        assertThat(record(laptop).enrolledAt()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(record(laptop).name()).isEqualTo("renamed laptop");
    }

    @Test
    void aSeenNodeIsListedWithItsAddressesWithoutBeingEnrolled() {
        registry.seen(phone, "phone", List.of("192.0.2.5:4433", "[2001:db8::5]:4433"), 10_000);

        NodeRecord r = record(phone);
        assertThat(r.enrolled()).isFalse();
        assertThat(registry.isEnrolled(phone)).isFalse();
        assertThat(r.name()).isEqualTo("phone");
        assertThat(r.lastSeen()).isEqualTo(Instant.ofEpochMilli(10_000));
        assertThat(r.addresses()).containsExactly("192.0.2.5:4433", "[2001:db8::5]:4433");
    }

    @Test
    void frequentSightingsShowTheNewestTimeAndNewAddressesAreWrittenAtOnce() {
        registry.enroll(laptop, "laptop", 1_000);
        registry.seen(laptop, "laptop", List.of("192.0.2.1:1"), 10_000);
        registry.seen(laptop, "laptop", List.of("192.0.2.1:1"), 12_000);
        assertThat(record(laptop).lastSeen()).isEqualTo(Instant.ofEpochMilli(12_000));

        registry.seen(laptop, null, List.of("198.51.100.1:1"), 13_000);

        NodeRecord r = record(laptop);
        assertThat(r.addresses()).containsExactly("198.51.100.1:1");
        assertThat(r.name()).as("a null name keeps the known one").isEqualTo("laptop");
        assertThat(r.enrolled()).isTrue();
        assertThat(r.lastSeen()).isEqualTo(Instant.ofEpochMilli(13_000));
    }
}
