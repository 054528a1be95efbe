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
 * The hub killed with -9 while it replicates 1,000 files, three times: early (≈10% of the
 * files complete), in the middle (≈50%) and late (≈90%), each time in a new round in which A
 * adds another 1,000 files, and restarted on the same data dir. After each restart it is the
 * same node at the same address, what it said was complete before the kill still is,
 * replication resumes on its own (A stays up and reconnects), and once it is done the hub's
 * replica is A's folder exactly: the same files, each streaming A's bytes (SHA-256 against a
 * manifest the test takes of A's folder itself), and the chunk-store check that rehashes
 * every stored chunk finds nothing truncated, corrupt, missing, unreferenced or unrecorded.
 * At the end no PostgreSQL of the hub is left running.
 *
 * <p>Run: see {@link HubStoreAndForwardIT}.
 */
class HubKillIT {
    /** Each round's workload: this many files of mixed sizes, from one seed per round. */
    private static final int FILES = 1_000;
    private static final long SEED = 0x4B11_1A0BL;
    /** Fractions of a round's files complete at which the hub is killed: early, middle, late. */
    private static final double[] KILL_AT = {0.10, 0.50, 0.90};
    /** One round's replication (and its resumption) on a busy 2-core machine. */
    private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    @Test
    void killNineEarlyMiddleAndLateAndTheReplicaIsExactAfterEachRestart() {
        HubProcess hub = env.hub("hub").start();
        String address = hub.address();
        AgentProcess a = env.agent("a").withHub(address, hub.enrollmentToken());
        a.start();
        String group = HubSteps.createGroup(a, "archive");
        HubSteps.awaitRegistered(a, hub, group);

        List<String> reached = new ArrayList<>();
        for (int round = 0; round < KILL_AT.length; round++) {
            long roundBytes = writeWorkload(a.folder(), round);
            assertThat(roundBytes).as("round %d workload size", round).isBetween(30_000_000L, 150_000_000L);
            long base = (long) round * FILES;
            long before = killAt(hub, group, base, KILL_AT[round]);
            reached.add(String.format("%.1f%% (aimed at %.0f%%)", 100.0 * (before - base) / FILES, 100 * KILL_AT[round]));
            // A kill -9 leaves the hub's PostgreSQL running (pg_ctl daemonized it): the restart must cope.
            System.out.println("e2e: " + hub.postgresProcesses().size() + " PostgreSQL processes outlive the killed hub");

            hub.start();
            assertThat(hub.address()).as("the restarted hub: same node id, same address").isEqualTo(address);
            long after = hub.api().completeFiles(group);
            assertThat(after).as("files complete after the restart (the hub said %d before the kill)", before)
                    .isGreaterThanOrEqualTo(before);

            Map<String, String> expected = sha256ByFile(a.folder());
            assertThat(expected).hasSize((round + 1) * FILES);
            HubSteps.awaitHubHoldsCompletely(hub, group, expected.keySet(), REPLICATION_TIMEOUT);
            verifyReplica(hub, group, expected);
        }
        System.out.println("e2e: hub killed with -9 at " + String.join(", ", reached) + " of a round's " + FILES
                + " files complete");
        // The environment stops the hub with SIGTERM after the test and fails it if any process
        // still names DIR/postgres: no PostgreSQL outlives the hub, not even the killed ones'.
    }

    /**
     * Polls the hub's count of complete files and kills it with -9 as soon as it reaches
     * {@code base} plus {@code fraction} of a round's workload; returns the count last seen
     * before the kill.
     */
    private static long killAt(HubProcess hub, String group, long base, double fraction) {
        AtomicLong seen = new AtomicLong();
        await("the hub has " + Math.round(fraction * 100) + "% of the round's files complete").atMost(REPLICATION_TIMEOUT)
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                    long complete = hub.api().completeFiles(group);
                    seen.set(complete);
                    if (complete >= base + FILES) {
                        throw new AssertionError("replication finished before the test could kill the hub at "
                                + Math.round(fraction * 100) + "%: the window is too narrow for this machine");
                    }
                    return complete >= base + fraction * FILES;
                });
        hub.kill9();
        return seen.get();
    }

    /**
     * The hub's replica against the manifest of A's folder: the same files, each streaming A's
     * bytes, and the chunk store's check finds nothing at all (nothing truncated, corrupt,
     * missing, unreferenced or unrecorded). Called once everything is complete.
     */
    private static void verifyReplica(HubProcess hub, String group, Map<String, String> expected) {
        Map<String, Boolean> held = hub.api().files(group);
        assertThat(held.keySet()).as("the hub lists exactly A's files").isEqualTo(expected.keySet());
        assertThat(held.values()).as("every file complete").containsOnly(true);
        Map<String, String> actual = new TreeMap<>();
        held.keySet().forEach(path -> actual.put(path, hub.api().contentSha256(group, path)));
        assertThat(actual).as("SHA-256 of what the hub streams for each file").isEqualTo(expected);

        JsonNode check = hub.api().check();
        System.out.println("e2e: check with " + actual.size() + " files complete: " + check);
        for (String kind : List.of("truncated", "corrupt", "missing", "unreferenced", "unrecorded")) {
            assertThat(HubApi.findings(check, kind)).as("%s chunks in %s", kind, check).isZero();
        }
        assertThat(check.path("ok").asBoolean()).as("check ok: %s", check).isTrue();
    }

    /**
     * Writes a round's workload into {@code root/round-N}: {@value #FILES} files in nested
     * directories, mostly small, some of a few hundred KB, a few of about a MB, from a seed per
     * round.
     *
     * @return the bytes written
     */
    private static long writeWorkload(Path root, int round) {
        long seed = SEED + round * 7919L;
        Random rnd = new Random(seed);
        TreeBuilder t = TreeBuilder.at(root);
        long total = 0;
        for (int i = 0; i < FILES; i++) {
            int size;
            if (i % 25 == 0) {
                size = (512 << 10) + rnd.nextInt(1 << 20); // 40 files of 0.5-1.5 MiB
            } else if (i % 5 == 0) {
                size = (16 << 10) + rnd.nextInt(240 << 10); // 160 of 16-256 KiB
            } else {
                size = rnd.nextInt(16 << 10); // 800 of 0-16 KiB
            }
            t.randomFile(String.format("round-%d/k%d/m%d/file-%04d.dat", round, i % 10, i % 7, i), size, seed + i);
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
