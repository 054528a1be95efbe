package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hub killed with -9 while its garbage collector deletes chunks, at least {@value #KILLS}
 * times, each at a moment taken from its own progress: once a collection has found its
 * candidates ({@code savesync_gc_candidates}), the test picks a random number of them and kills
 * the hub as soon as its count of deleted chunks ({@code savesync_gc_chunks_deleted_total},
 * counted batch by batch) reaches it. Each round, agent A rewrites every file of the group (one
 * chunk each) and the hub replicates the new versions; with the policy "keep 2 versions" the
 * versions of two rounds before become garbage, and an admin's retention run (POST
 * /api/v1/retention/run) prunes them and collects their chunks.
 *
 * <p>After each restart on the same data dir: every version the hub lists restores byte for byte
 * (SHA-256 against what the test wrote in that round), exactly the last two rounds' versions are
 * listed, and the chunk store's check finds nothing truncated, corrupt or missing. At the end a
 * retention run that is left to finish leaves no chunk that nothing references, and the check
 * finds nothing at all.
 *
 * <p>Run: see {@link HubStoreAndForwardIT}.
 */
class HubGcKillIT {
    /** Files of the group, each rewritten every round; ≤ 64 KiB, so one chunk each. */
    private static final int FILES = 120;
    private static final int KILLS = 20;
    /** Rounds 0 and 1 make no garbage; a collection can finish before the kill lands. */
    private static final int MAX_ROUNDS = 40;
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    private final Random random = new Random(0x6C_0A11L);
    /** Per path, the SHA-256 of what A wrote in each round, oldest first. */
    private final Map<String, List<String>> written = new LinkedHashMap<>();

    @Test
    void killNineDuringGarbageCollectionKeepsEveryRetainedVersion() throws Exception {
        HubProcess hub = env.hub("hub").withEnv("SAVESYNC_RETENTION_INTERVAL", "0s")
                .withEnv("SAVESYNC_RETENTION_CHUNK_GRACE", "0s").withEnv("SAVESYNC_RETENTION_GC_BATCH", "2").start();
        AgentProcess a = env.agent("a").withHub(hub.address(), hub.enrollmentToken());
        a.start();
        String group = HubSteps.createGroup(a, "versions");
        HubSteps.awaitRegistered(a, hub, group);
        hub.api().write("PUT", "/api/v1/groups/" + group + "/retention", "{\"keepVersions\":2,\"keepDays\":30}");

        List<String> moments = new ArrayList<>();
        int kills = 0;
        int missed = 0;
        for (int round = 0; round < MAX_ROUNDS && kills < KILLS; round++) {
            writeRound(a.folder(), round);
            awaitHubHoldsTheNewest(hub, group);
            if (round < 2) {
                continue; // no version is old enough to be pruned yet
            }
            String moment = killDuringCollection(hub);
            if (moment == null) {
                missed++;
                System.out.println("e2e: round " + round + ": the collection finished before the kill");
            } else {
                kills++;
                moments.add(moment);
                hub.start();
            }
            verifyVersions(hub, group, round);
            checkFinds(hub, List.of("truncated", "corrupt", "missing"));
        }
        System.out.println("e2e: hub killed with -9 during garbage collection " + kills + " times (" + missed
                + " rounds finished first), at " + moments);
        assertThat(kills).as("kills during a collection (%d rounds missed the moment)", missed)
                .isGreaterThanOrEqualTo(KILLS);

        JsonNode last = hub.api().write("POST", "/api/v1/retention/run", null);
        assertThat(last.path("collectError").isNull()).as("the last run: %s", last).isTrue();
        checkFinds(hub, List.of("truncated", "corrupt", "missing", "unreferenced", "unrecorded"));
    }

    /** A writes new content into every file: {@value #FILES} files of 8–48 KiB, random bytes. */
    private void writeRound(Path folder, int round) throws Exception {
        for (int i = 0; i < FILES; i++) {
            String path = "d" + (i % 6) + "/f" + i + ".bin";
            byte[] data = new byte[8 * 1024 + random.nextInt(40 * 1024)];
            random.nextBytes(data);
            Path file = folder.resolve(path);
            Files.createDirectories(file.getParent());
            Path tmp = folder.resolveSibling(folder.getFileName() + ".tmp-" + i); // outside the folder, same disk
            Files.write(tmp, data);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written.computeIfAbsent(path, p -> new ArrayList<>()).add(sha256(data));
        }
    }

    /** Waits until the hub streams the newest content of every file. */
    private void awaitHubHoldsTheNewest(HubProcess hub, String group) {
        // A file listed complete can be replaced by a newer version still being fetched before its content is read (409).
        await("the hub holds the newest version of all " + FILES + " files").atMost(SYNC_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(AssertionError.class).until(() -> {
                    Map<String, Boolean> held = hub.api().files(group);
                    if (!held.keySet().equals(written.keySet()) || held.containsValue(false)) {
                        return false;
                    }
                    for (var e : written.entrySet()) {
                        if (!hub.api().contentSha256(group, e.getKey()).equals(e.getValue().getLast())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /**
     * Starts a retention run and kills the hub once its collection has deleted a random share of
     * its candidates; the moment as text, or null when the run finished first.
     */
    private String killDuringCollection(HubProcess hub) {
        HubApi api = hub.api();
        double deletedBase = api.metric("savesync_gc_chunks_deleted_total", "");
        CompletableFuture<JsonNode> run = CompletableFuture.supplyAsync(() -> api.write("POST",
                "/api/v1/retention/run", null));
        long target = -1;
        long candidates = 0;
        while (!run.isDone()) {
            long deleted = (long) (api.metric("savesync_gc_chunks_deleted_total", "") - deletedBase);
            if (target < 0) {
                candidates = (long) api.metric("savesync_gc_candidates", "");
                if (candidates > 1) {
                    target = 1 + random.nextLong(candidates - 1); // at least one batch in, not the last chunk
                }
                continue;
            }
            if (deleted >= target) {
                hub.kill9();
                run.handle((r, e) -> null).join(); // the request fails with the connection
                return deleted + " of " + candidates + " candidates deleted (aimed at " + target + ")";
            }
        }
        run.join();
        return null;
    }

    /**
     * Every version the hub lists restores byte for byte, and they are exactly the last two
     * rounds' versions of each path (the collection runs after retention has committed).
     */
    private void verifyVersions(HubProcess hub, String group, int round) {
        for (var e : written.entrySet()) {
            List<String> all = e.getValue();
            Set<String> expected = new HashSet<>(all.subList(Math.max(0, all.size() - 2), all.size()));
            Set<String> restored = new HashSet<>();
            for (JsonNode v : hub.api().versions(group, e.getKey())) {
                restored.add(hub.api().versionSha256(group, v.path("id").asText()));
            }
            assertThat(restored).as("round %d, %s: the versions the hub keeps, restored", round, e.getKey())
                    .isEqualTo(expected);
        }
    }

    private static void checkFinds(HubProcess hub, List<String> none) {
        JsonNode check = hub.api().check();
        for (String kind : none) {
            assertThat(HubApi.findings(check, kind)).as("%s chunks in %s", kind, check).isZero();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
