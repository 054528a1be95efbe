package org.savesync.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;
import org.savesync.core.testsupport.Workloads;

/**
 * The packaged agent end to end: agents as separate processes (see {@link E2EEnvironment}),
 * real QUIC on 127.0.0.1, real folders, driven by the {@code savesync} CLI and the local API,
 * and judged by manifests of the folders (never by the agents' own index or status).
 *
 * <p>Run: {@code ./mvnw -B -pl peer-agent verify -Dit.test=AgentE2EIT -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false} (after {@code ./mvnw -B -DskipTests install -pl
 * sync-core,peer-agent}). Logs and CLI output of each test: {@code peer-agent/target/e2e/<test>/}.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class AgentE2EIT {
    private static final long ONE_GIB = Workloads.ONE_GIB;
    /** The longest any one sync in these tests may take (1 GiB and 10,000 files on a busy 2-core machine). */
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);
    /** Patterns of the ignore file of {@link #aToBAndBack}. */
    private static final String IGNORE_FILE = ".savesyncignore";
    /**
     * QUIC idle timeout of both agents in {@link #killNineDuringLargeTransferResumes}: how A
     * notices the killed B, so the test waits this long instead of the 30 s default. The keep-alive
     * (at most half of it) keeps the quiet live connection open.
     */
    private static final String KILL_IDLE_TIMEOUT = "10s";
    private static final String KILL_KEEP_ALIVE = "3s";

    @RegisterExtension
    final E2EEnvironment env = new E2EEnvironment();

    // ------------------------------------------------------------------ 1

    /**
     * A creates a group and invites, B joins, all through the CLI; a tree with every kind of
     * entry, a 1 GiB file and 10,000 small files reaches B; then edits, deletes and renames on A
     * reach B, and the same kinds of change on B reach A. What A's ignore file names never
     * reaches B.
     */
    @Test
    void aToBAndBack() throws IOException {
        AgentProcess a = env.agent("a");
        AgentProcess b = env.agent("b");
        TreeBuilder ta = TreeBuilder.at(a.folder()).sample()
                .file("deep/er/and/deeper/still/leaf.txt", "a leaf\n")
                .emptyFile("deep/er/empty-too.txt")
                .dir("deep/empty-dir")
                .file(IGNORE_FILE, "*.tmp\nbuild/\n")
                .file("x.tmp", "scratch, never synced\n")
                .randomFile("build/out.bin", 10_000, 7);
        Workloads.hardlinkOrCopy(Workloads.oneGiBFile(), ta.path("big/one-gib.bin"));
        Workloads.writeSmallFiles(ta.path("small"), 10_000, 4096, 1000);
        Predicate<String> notSynced = p -> p.equals(IGNORE_FILE) || p.equals("x.tmp") || p.equals("build")
                || p.startsWith("build/");

        a.start();
        b.start();
        String group = createGroup(a, "photos");
        joinThroughTicket(b, a, group);
        Trees.awaitSame("B has A's tree", a.folder(), b.folder(), notSynced, SYNC_TIMEOUT);
        assertIgnoredStayOnA(a, b);

        // Changes on A: edits, deletes (a file and a directory of 1,000), renames (one of them
        // the 1 GiB file, which B must rebuild from its own bytes), a new nested directory.
        long fetchedBefore = b.api().counter("chunkBytesFetched");
        List<String> newBytes = List.of("docs/readme.txt", "small/g00/s03/f0003000.bin", "new/nested/deeper/file.txt",
                "new/nested/deeper/tool.sh");
        ta.file("docs/readme.txt", "hello again, edited on A\n")
                .randomFile("small/g00/s03/f0003000.bin", 5_000, 42)
                .file("new/nested/deeper/file.txt", "new on A\n")
                .executable("new/nested/deeper/tool.sh", "#!/bin/sh\nexit 0\n")
                .dir("new/nested/empty");
        Files.delete(ta.path("old.txt"));
        Workloads.deleteTree(ta.path("small/g00/s09"));
        Files.move(ta.path(TreeBuilder.UNICODE_FILE), ta.path("Ünïcødé/改名 renamed ✓.txt"));
        Files.move(ta.path("big/one-gib.bin"), ta.path("big/renamed-gib.bin"));
        a.cli("scan", group).ok();
        Trees.awaitSame("B has A's changes", a.folder(), b.folder(), notSynced, SYNC_TIMEOUT);
        assertIgnoredStayOnA(a, b);
        assertThat(b.api().counter("chunkBytesFetched") - fetchedBefore)
                .as("B fetches only new bytes: the renamed 1 GiB file is rebuilt from B's own copy")
                .isLessThanOrEqualTo(Trees.sizes(a.folder(), newBytes));

        // The same kinds of change on B, and the same kinds of new content: a 1 GiB file of
        // its own, 10,000 small files, unicode and emoji names, an empty file, an executable.
        TreeBuilder tb = TreeBuilder.at(b.folder())
                .file("docs/empty.txt", "not empty any more, edited on B\n")
                .randomFile("small/g00/s05/f0005000.bin", 3_000, 43)
                .file("from-b/x/y/z.txt", "new on B\n")
                .file("from-b/Ñandú 🦜/üñí.txt", "unicode from B\n")
                .emptyFile("from-b/empty-file.txt")
                .executable("from-b/run.sh", "#!/bin/sh\necho from B\n")
                .dir("from-b/empty");
        Workloads.hardlinkOrCopy(Workloads.randomFile("other-gib.bin", Workloads.ONE_GIB, 0xB0B),
                tb.path("from-b/big/other-gib.bin"));
        Workloads.writeSmallFiles(tb.path("from-b/small"), 10_000, 4096, 2000);
        Files.delete(tb.path(TreeBuilder.EMOJI_FILE));
        Workloads.deleteTree(tb.path("deep/er/and"));
        Files.move(tb.path("docs/readme.txt"), tb.path("docs/README renamed on B.txt"));
        b.cli("scan", group).ok();
        Trees.awaitSame("A has B's changes", b.folder(), a.folder(), notSynced, SYNC_TIMEOUT);

        // Three rounds have synced since the ignore file was there, the last one from B to A.
        assertIgnoredStayOnA(a, b);
    }

    /** What A's .savesyncignore names is not on B, and still on A as it was. */
    private static void assertIgnoredStayOnA(AgentProcess a, AgentProcess b) throws IOException {
        assertThat(b.folder().resolve("x.tmp")).as("ignored by A's *.tmp").doesNotExist();
        assertThat(b.folder().resolve("build")).as("ignored by A's build/").doesNotExist();
        assertThat(a.folder().resolve("x.tmp")).as("an ignored file stays where it is").hasContent(
                "scratch, never synced");
        assertThat(Files.readAllBytes(a.folder().resolve("build/out.bin"))).isEqualTo(Workloads.randomBytes(7, 10_000));
    }

    // ------------------------------------------------------------------ 2

    /**
     * B is killed with -9 in the middle of receiving a 1 GiB file: nothing half-written shows in
     * its folder, and once restarted it fetches only what it had not verified yet.
     */
    @Test
    void killNineDuringLargeTransferResumes() {
        AgentProcess a = env.agent("a").withEnv("SAVESYNC_QUIC_IDLE_TIMEOUT", KILL_IDLE_TIMEOUT)
                .withEnv("SAVESYNC_QUIC_KEEP_ALIVE_INTERVAL", KILL_KEEP_ALIVE);
        AgentProcess b = env.agent("b").withEnv("SAVESYNC_QUIC_IDLE_TIMEOUT", KILL_IDLE_TIMEOUT)
                .withEnv("SAVESYNC_QUIC_KEEP_ALIVE_INTERVAL", KILL_KEEP_ALIVE);
        Workloads.hardlinkOrCopy(Workloads.oneGiBFile(), a.folder().resolve("big.bin"));
        a.start();
        b.start();
        String group = createGroup(a, "video");
        joinThroughTicket(b, a, group);

        AtomicLong lastVerified = new AtomicLong();
        await("B between 25% and 75% of the 1 GiB file").atMost(SYNC_TIMEOUT).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    JsonNode g = b.api().groupStatus(group);
                    long verified = g.path("bytesVerified").asLong();
                    if (verified > ONE_GIB * 3 / 4 || Files.exists(b.folder().resolve("big.bin"))) {
                        throw new AssertionError("the transfer went past 75% before the test could kill B (last seen "
                                + verified + " bytes verified); the window is too narrow for this machine");
                    }
                    if (verified < ONE_GIB / 4) {
                        return false;
                    }
                    lastVerified.set(verified);
                    b.kill9();
                    return true;
                });

        assertThat(Manifest.of(b.folder()).entries()).as("nothing half-written outside .savesync/").isEmpty();
        CliResult dead = b.cli("status");
        assertThat(dead.exitCode()).as("status of a killed agent (its api.json is left behind)").isNotZero();
        assertThat(dead.stderr()).contains("no agent is running");

        // A notices the dead connection; after that it serves nothing more.
        await("A sees B gone").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> a.api().groupStatus(group).path("peers").asInt() == 0);
        long servedBefore = awaitStable("A's chunkBytesServed", () -> a.api().counter("chunkBytesServed"));

        b.start();
        assertStillMember(b, group);
        Trees.awaitSame("B has the 1 GiB file after its restart", a.folder(), b.folder(), Trees.NOTHING, SYNC_TIMEOUT);
        long resumed = b.api().counter("chunkBytesResumed");
        long served = a.api().counter("chunkBytesServed") - servedBefore;
        System.out.printf("e2e: B killed at %,d bytes verified, resumed %,d; A served %,d after the restart%n",
                lastVerified.get(), resumed, served);
        assertThat(resumed).as("bytes B kept from before the kill").isPositive()
                .isGreaterThanOrEqualTo(lastVerified.get());
        assertThat(served).as("A serves what B had not verified, once (B resumed %d bytes)", resumed)
                .isEqualTo(ONE_GIB - resumed);
    }

    // ------------------------------------------------------------------ 3

    /**
     * A is stopped, its folder changed while it is down, and started again: it hashes exactly
     * the added, edited and touched files, and B fetches exactly the new bytes (a touched file
     * costs no transfer, yet its new mtime arrives).
     */
    @Test
    void restartRescanHashesOnlyChanges() throws IOException {
        AgentProcess a = env.agent("a");
        AgentProcess b = env.agent("b");
        int[] sizes = {0, 1, 100, 4096, 65_536, 200_000, 1_000_000, 3_000_000, 777, 12_345};
        List<String> files = new ArrayList<>();
        TreeBuilder ta = TreeBuilder.at(a.folder());
        for (int i = 0; i < 50; i++) {
            String rel = "d" + (i % 5) + "/sub" + (i % 3) + "/f" + i + ".bin";
            ta.randomFile(rel, sizes[i % sizes.length], 100 + i);
            files.add(rel);
        }
        a.start();
        b.start();
        String group = createGroup(a, "docs");
        joinThroughTicket(b, a, group);
        Trees.awaitSame("B has A's 50 files", a.folder(), b.folder(), Trees.NOTHING, SYNC_TIMEOUT);
        long fetchedBefore = b.api().counter("chunkBytesFetched");

        a.stop();
        List<String> added = List.of("added/n0.bin", "added/n1.bin", "d1/n2.bin", "added/deeper/n3.bin", "n4.bin");
        int[] addedSizes = {10, 5_000, 300_000, 1_500_000, 64};
        for (int i = 0; i < added.size(); i++) {
            ta.randomFile(added.get(i), addedSizes[i], 500 + i);
        }
        List<String> edited = files.subList(10, 15);
        for (int i = 0; i < edited.size(); i++) {
            ta.randomFile(edited.get(i), (int) Files.size(ta.path(edited.get(i))) + 1_000 + i, 600 + i);
        }
        for (String gone : files.subList(20, 25)) {
            Files.delete(ta.path(gone));
        }
        String touched = files.get(36);
        FileTime touchedAt = FileTime.from(Instant.now());
        Files.setLastModifiedTime(ta.path(touched), touchedAt);
        assertThat(Files.getLastModifiedTime(b.folder().resolve(touched))).isNotEqualTo(touchedAt);
        long changedBytes = Trees.sizes(a.folder(), added) + Trees.sizes(a.folder(), edited);
        long touchedBytes = Files.size(ta.path(touched));

        // Only the catch-up after the start finds the changes (the periodic rescan is an hour away).
        a.withEnv("SAVESYNC_RESCAN_INTERVAL", "1h").start();
        assertStillMember(a, group);
        Trees.awaitSame("B has what changed while A was down", a.folder(), b.folder(), Trees.NOTHING, SYNC_TIMEOUT);
        long hashed = a.api().counter("bytesHashed");
        long fetched = b.api().counter("chunkBytesFetched") - fetchedBefore;
        System.out.printf("e2e: after its restart A hashed %,d bytes, B fetched %,d (changed %,d, touched %,d)%n",
                hashed, fetched, changedBytes, touchedBytes);
        assertThat(hashed).as("A hashes only added, edited and touched files").isEqualTo(changedBytes + touchedBytes);
        assertThat(fetched)
                .as("B fetches the added and edited bytes; the touched file costs nothing").isEqualTo(changedBytes);
        assertThat(Files.getLastModifiedTime(b.folder().resolve(touched))).isEqualTo(touchedAt);
    }

    // ------------------------------------------------------------------ 4

    /**
     * The local API answers only its own user (the token) on its own names (Host, Origin), with
     * the error envelope; the CLI says what is wrong on stderr and exits non-zero.
     */
    @Test
    void apiRefusesWithoutTokenAndForeignOrigin() {
        AgentProcess a = env.agent("a").start();
        AgentApi api = a.api();
        String bearer = "Bearer " + api.token();
        String ownHost = "127.0.0.1:" + api.port();

        AgentApi.Reply noToken = api.request("GET", "/status", Map.of());
        assertThat(noToken.code()).as(noToken.body()).isEqualTo(401);
        assertThat(noToken.isErrorEnvelope()).as(noToken.body()).isTrue();
        AgentApi.Reply wrongToken = api.request("GET", "/status", Map.of("Authorization", "Bearer 0123abcd"));
        assertThat(wrongToken.code()).as(wrongToken.body()).isEqualTo(401);
        assertThat(wrongToken.isErrorEnvelope()).as(wrongToken.body()).isTrue();

        AgentApi.Reply evilOrigin = api.request("GET", "/status",
                Map.of("Authorization", bearer, "Origin", "http://evil.example"));
        assertThat(evilOrigin.code()).as(evilOrigin.body()).isEqualTo(403);
        assertThat(evilOrigin.isErrorEnvelope()).as(evilOrigin.body()).isTrue();
        AgentApi.Reply evilPost = api.request("POST", "/groups",
                Map.of("Authorization", bearer, "Origin", "http://evil.example", "Content-Type", "application/json"));
        assertThat(evilPost.code()).as(evilPost.body()).isEqualTo(403);

        AgentApi.Reply rebound = api.rawGet("/status", Map.of("Host", "evil.example:" + api.port(), "Authorization", bearer));
        assertThat(rebound.code()).as(rebound.body()).isEqualTo(403);
        assertThat(rebound.isErrorEnvelope()).as(rebound.body()).isTrue();
        AgentApi.Reply ownHostRaw = api.rawGet("/status", Map.of("Host", ownHost, "Authorization", bearer));
        assertThat(ownHostRaw.code()).as("the same hand-written request with our own Host: " + ownHostRaw.body())
                .isEqualTo(200);

        AgentApi.Reply ok = api.request("GET", "/status", Map.of("Authorization", bearer));
        assertThat(ok.code()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("status").asText()).isEqualTo("success");
        assertThat(ok.json().path("data").path("nodeId").asText()).isNotBlank();

        Path nobody = env.testDir().resolve("no-agent-here");
        CliResult noAgent = env.cli(List.of("--data-dir", nobody.toString(), "status"));
        assertThat(noAgent.exitCode()).as(noAgent.toString()).isNotZero();
        assertThat(noAgent.stderr()).as(noAgent.toString()).contains("no agent is running").contains(nobody.toString());

        CliResult garbage = a.cli("join", "savesync1-this-is-not-a-ticket", "--dir", a.folder().toString());
        assertThat(garbage.exitCode()).as(garbage.toString()).isNotZero();
        assertThat(garbage.stderr()).as(garbage.toString()).containsIgnoringCase("ticket").doesNotContain("Exception");
        assertThat(api.get("/groups")).as("a refused join leaves no group behind").isEmpty();

        a.kill9();
        CliResult stale = a.cli("status");
        assertThat(stale.exitCode()).as("after kill -9, api.json is stale: " + stale).isNotZero();
        assertThat(stale.stderr()).as(stale.toString()).contains("no agent is running");
    }

    // ------------------------------------------------------------------ helpers

    /** {@code savesync group create NAME --dir FOLDER} on {@code a}; returns the group id it prints last. */
    private static String createGroup(AgentProcess a, String name) {
        String id = a.cli("group", "create", name, "--dir", a.folder().toString()).ok().lastLine();
        assertThat(id).as("a group id").matches("[a-z2-7]{16,}");
        return id;
    }

    /** {@code group invite} on the authority, {@code join TICKET --dir} on the joiner, which prints the group id last. */
    private static void joinThroughTicket(AgentProcess joiner, AgentProcess authority, String group) {
        String ticket = authority.cli("group", "invite", group).ok().lastLine();
        assertThat(ticket).startsWith("savesync1");
        assertThat(joiner.cli("join", ticket, "--dir", joiner.folder().toString()).ok().lastLine()).isEqualTo(group);
    }

    /** A restarted agent still syncs its groups: its index lives in its data dir. */
    private static void assertStillMember(AgentProcess p, String group) {
        assertThat(p.api().get("/groups")).extracting(g -> g.path("id").asText())
                .as("agent %s still has group %s after its restart (its index persists in its data dir)", p.name(), group)
                .contains(group);
    }

    /** Waits until a value has stopped changing (the same over two seconds of polls) and returns it. */
    private static long awaitStable(String what, java.util.function.LongSupplier value) {
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        AtomicLong since = new AtomicLong(System.nanoTime());
        await(what + " stops growing").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            long v = value.getAsLong();
            if (v != last.getAndSet(v)) {
                since.set(System.nanoTime());
                return false;
            }
            return System.nanoTime() - since.get() >= Duration.ofSeconds(2).toNanos();
        });
        return last.get();
    }
}
