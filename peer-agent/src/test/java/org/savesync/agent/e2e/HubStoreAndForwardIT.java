package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.testsupport.Workloads;

/**
 * Store and forward through the packaged hub: A and B are never online together after B
 * joined, yet B ends up with everything A added, served by the hub alone.
 *
 * <p>Run (the hub is packaged in the same reactor, before the agent): {@code ./mvnw -B -pl
 * sync-core,sync-server,peer-agent verify -Dit.test='Hub*IT' -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}. Logs and CLI
 * output: {@code peer-agent/target/e2e/<test>/}.
 */
class HubStoreAndForwardIT {
    /** The large file A adds while B is down. */
    private static final long BIG_FILE_BYTES = 200L << 20;
    /** The small files A adds while B is down, and their sizes (cycled). */
    private static final int SMALL_FILES = 100;
    private static final int[] SIZES = {0, 1, 100, 4096, 65_536, 200_000, 1_000_000, 500_000, 777, 12_345, 31};
    /** The hub pulling ~220 MB from A, or B pulling it from the hub, on a busy 2-core machine. */
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    /**
     * A registers its group with the hub; B joins with a ticket from the hub and is stopped; A
     * adds 100 files in nested directories and a 200 MiB file; once the hub holds every one
     * completely, A is stopped and B started: B gets A's tree byte for byte, and the hub's
     * metrics show it served at least those bytes.
     */
    @Test
    void aMemberSyncsFromTheHubWhileTheAuthorIsDown() throws IOException {
        HubProcess hub = env.hub("hub").start();
        AgentProcess a = env.agent("a").withHub(hub.address(), hub.enrollmentToken());
        AgentProcess b = env.agent("b");
        TreeBuilder ta = TreeBuilder.at(a.folder()).file("before-b.txt", "there before B joined\n");
        a.start();
        b.start();
        String group = HubSteps.createGroup(a, "photos");
        HubSteps.awaitRegistered(a, hub, group);
        HubSteps.join(b, HubSteps.hubTicket(a, hub, group), group);
        Trees.awaitSame("B has A's first file", a.folder(), b.folder(), Trees.NOTHING, SYNC_TIMEOUT);
        b.stop();

        List<String> added = new ArrayList<>();
        for (int i = 0; i < SMALL_FILES; i++) {
            String rel = "d" + (i % 4) + "/sub" + (i % 3) + (i % 2 == 0 ? "/deeper/still" : "") + "/f" + i + ".bin";
            ta.randomFile(rel, SIZES[i % SIZES.length], 1_000 + i);
            added.add(rel);
        }
        Workloads.hardlinkOrCopy(Workloads.randomFile("hub-200-mib.bin", BIG_FILE_BYTES, 0x4855_4221L),
                ta.path("video/big 200 MiB.bin"));
        added.add("video/big 200 MiB.bin");
        a.cli("scan", group).ok();
        Map<String, Manifest.Entry> expected = Trees.view(a.folder(), Trees.NOTHING);
        Set<String> files = expected.entrySet().stream().filter(e -> e.getValue().type() == Manifest.Type.FILE)
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(files).hasSize(SMALL_FILES + 2);
        HubSteps.awaitHubHoldsCompletely(hub, group, files, SYNC_TIMEOUT);

        a.stop();
        double servedBefore = hub.api().metric("savesync_transfer_bytes_total", "direction=\"out\"");
        double bulkBefore = hub.api().metric("savesync_bulk_bytes_total", "direction=\"out\"");
        double laneBefore = hub.api().metric("savesync_bulk_bytes_total", "direction=\"out\",path=\"tcp\"");
        b.start();
        Trees.awaitSame("B has what A added, from the hub alone (A is down)", a.folder(), b.folder(), Trees.NOTHING,
                SYNC_TIMEOUT);
        assertThat(Trees.view(b.folder(), Trees.NOTHING)).as("B's tree against the manifest taken from A's folder")
                .isEqualTo(expected);
        long addedBytes = Trees.sizes(a.folder(), added);
        double served = hub.api().metric("savesync_transfer_bytes_total", "direction=\"out\"") - servedBefore;
        long fetched = b.api().counter("chunkBytesFetched");
        System.out.printf("e2e: hub served %,.0f bytes to B while A was down; B fetched %,d; A had added %,d%n", served,
                fetched, addedBytes);
        assertThat(fetched).as("B fetched the added bytes (nobody but the hub was up)").isGreaterThanOrEqualTo(addedBytes);
        assertThat(served).as("the hub's savesync_transfer_bytes_total{direction=\"out\"} grew by what B needed")
                .isGreaterThanOrEqualTo((double) addedBytes);
        double bulk = hub.api().metric("savesync_bulk_bytes_total", "direction=\"out\"") - bulkBefore;
        double lane = hub.api().metric("savesync_bulk_bytes_total", "direction=\"out\",path=\"tcp\"") - laneBefore;
        assertThat(bulk).as("chunk frames the hub sent, over the lane or QUIC, carry at least the chunk bytes")
                .isGreaterThanOrEqualTo((double) addedBytes);
        assertThat(lane).as("the bulk lane (on by default, both sides on loopback) carried chunk bytes").isPositive();
        assertThat(b.api().counter("bulkBytesReceivedTcp")).as("B's /status counts what came over its lane")
                .isPositive();
        assertThat(a.isAlive()).as("A stayed down").isFalse();
    }
}
