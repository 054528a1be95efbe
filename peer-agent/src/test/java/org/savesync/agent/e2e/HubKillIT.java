package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;

/**
 * The hub killed with -9 three times while it replicates a group (at about 10%, 50% and 90% of
 * the files complete) and restarted on the same data dir each time. After each restart it is
 * the same node at the same address, what it said was complete before the kill still is, every
 * file it calls complete streams A's bytes (SHA-256 against a manifest the test takes of A's
 * folder itself), its chunk-store check finds nothing wrong, and replication carries on. At the
 * end its replica is A's folder exactly, and no PostgreSQL of it is left running.
 *
 * <p>After the first two kills A is stopped until the restarted hub has been checked, so the
 * check sees the hub exactly as it came back (nothing in flight), then started again; after the
 * last kill A stays up and reconnects by itself.
 *
 * <p>Run: see {@link HubStoreAndForwardIT}.
 */
class HubKillIT {
    /** The workload: this many files of mixed sizes, from one seed. */
    private static final int FILES = 1_000;
    private static final long SEED = 0x4B11_1A0BL;
    /** Fractions of files complete at which the hub is killed: early, middle, late. */
    private static final double[] KILL_AT = {0.10, 0.50, 0.90};
    /** The whole replication of ~170 MB (and each resumption) on a busy 2-core machine. */
    private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    @Test
    void killNineAtTenFiftyAndNinetyPercentAndTheReplicaStaysExact() {
        HubProcess hub = env.hub("hub").start();
        String address = hub.address();
        AgentProcess a = env.agent("a").withHub(address, hub.enrollmentToken());
        long totalBytes = writeWorkload(a.folder());
        Map<String, String> expected = sha256ByFile(a.folder());
        assertThat(expected).hasSize(FILES);
        assertThat(totalBytes).as("workload size").isBetween(150_000_000L, 300_000_000L);

        a.start();
        String group = HubSteps.createGroup(a, "archive");
        HubSteps.awaitRegistered(a, hub, group);

        List<String> reached = new ArrayList<>();
        for (int i = 0; i < KILL_AT.length; i++) {
            boolean last = i == KILL_AT.length - 1;
            long before = killAt(hub, group, KILL_AT[i]);
            reached.add(String.format("%.1f%% (aimed at %.0f%%)", 100.0 * before / FILES, 100 * KILL_AT[i]));
            // A kill -9 leaves the hub's PostgreSQL running (pg_ctl daemonized it): the restart must cope.
            System.out.println("e2e: " + hub.postgresProcesses().size() + " PostgreSQL processes outlive the killed hub");
            if (!last) {
                // Hold A back so the restarted hub can be checked exactly as it came back from the
                // kill, before it fetches more; the last time A stays up and reconnects by itself.
                a.stop();
            }

            hub.start();
            assertThat(hub.address()).as("the restarted hub: same node id, same address").isEqualTo(address);
            long after = hub.api().completeFiles(group);
            assertThat(after).as("files complete after the restart (the hub said %d before the kill)", before)
                    .isGreaterThanOrEqualTo(before);
            if (!last) {
                verifyReplica(hub, group, expected, false);
                a.start();
            }
            await("replication resumes after the restart at " + reached.getLast()).atMost(REPLICATION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250)).until(() -> hub.api().completeFiles(group) > after || after == FILES);
        }
        System.out.println("e2e: hub killed with -9 at " + String.join(", ", reached) + " of " + FILES + " files ("
                + totalBytes + " bytes) complete");

        HubSteps.awaitHubHoldsCompletely(hub, group, expected.keySet(), REPLICATION_TIMEOUT);
        verifyReplica(hub, group, expected, true);
        // The environment stops the hub with SIGTERM after the test and fails it if any process
        // still names DIR/postgres: no PostgreSQL outlives the hub, not even the killed ones'.
    }

    /**
     * Polls the hub's count of complete files and kills it with -9 as soon as it reaches
     * {@code fraction} of the workload; returns the count last seen before the kill.
     */
    private static long killAt(HubProcess hub, String group, double fraction) {
        AtomicLong seen = new AtomicLong();
        await("the hub has " + Math.round(fraction * 100) + "% of the files complete").atMost(REPLICATION_TIMEOUT)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                    long complete = hub.api().completeFiles(group);
                    seen.set(complete);
                    if (complete >= FILES) {
                        throw new AssertionError("replication finished before the test could kill the hub at "
                                + Math.round(fraction * 100) + "%: the window is too narrow for this machine");
                    }
                    return complete >= fraction * FILES;
                });
        hub.kill9();
        return seen.get();
    }

    /**
     * What the hub holds against the manifest of A's folder: it lists no file A does not have
     * (and, when {@code complete}, every file A has), each file it calls complete streams A's
     * bytes, and the chunk store's check finds nothing at all (nothing truncated, corrupt,
     * missing, unreferenced or unrecorded). Called while nothing is being fetched.
     */
    private static void verifyReplica(HubProcess hub, String group, Map<String, String> expected, boolean complete) {
        Map<String, Boolean> held = hub.api().files(group);
        assertThat(expected.keySet()).as("the hub lists only A's files").containsAll(held.keySet());
        if (complete) {
            assertThat(held.keySet()).as("the hub lists every file of A").isEqualTo(expected.keySet());
        }
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> wanted = new TreeMap<>();
        held.forEach((path, isComplete) -> {
            if (isComplete) {
                actual.put(path, hub.api().contentSha256(group, path));
                wanted.put(path, expected.get(path));
            }
        });
        assertThat(actual).as("SHA-256 of what the hub streams for each complete file").isEqualTo(wanted);

        JsonNode check = hub.api().check();
        System.out.println("e2e: check with " + actual.size() + " files complete: " + check);
        for (String kind : List.of("truncated", "corrupt", "missing", "unreferenced", "unrecorded")) {
            assertThat(HubApi.findings(check, kind)).as("%s chunks in %s", kind, check).isZero();
        }
        assertThat(check.path("ok").asBoolean()).as("check ok: %s", check).isTrue();
    }

    /**
     * Writes the workload into {@code root}: {@value #FILES} files in nested directories,
     * mostly small, some of a few hundred KB, a few of a few MB, all from {@link #SEED}.
     *
     * @return the bytes written
     */
    private static long writeWorkload(Path root) {
        Random rnd = new Random(SEED);
        TreeBuilder t = TreeBuilder.at(root);
        long total = 0;
        for (int i = 0; i < FILES; i++) {
            int size;
            if (i % 25 == 0) {
                size = (1 << 20) + rnd.nextInt(3 << 20); // 40 files of 1-4 MiB
            } else if (i % 5 == 0) {
                size = (32 << 10) + rnd.nextInt(480 << 10); // 160 of 32-512 KiB
            } else {
                size = rnd.nextInt(32 << 10); // 800 of 0-32 KiB
            }
            t.randomFile(String.format("k%d/m%d/file-%04d.dat", i % 10, i % 7, i), size, SEED + i);
            total += size;
        }
        return total;
    }

    /** The test's own manifest of A's folder: path to SHA-256, files only. */
    private static Map<String, String> sha256ByFile(Path root) {
        return Manifest.of(root).entries().entrySet().stream()
                .filter(e -> e.getValue().type() == Manifest.Type.FILE)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sha256(), (x, y) -> x, TreeMap::new));
    }
}
