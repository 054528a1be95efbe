package org.savesync.server.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.GroupCommit;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.persistence.StoredVersion;
import org.savesync.server.testing.ApiAuth;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * Retention against the running hub and its embedded PostgreSQL: real signed entries stored
 * one batch at a time as the engine stores them, the policy set through the admin API's
 * service, the clock moved by handing the run a later time. What is removed is checked in the
 * store, again after reloading the group from the database, in the audit log and over REST.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class RetentionJobTest {
    private static final int CHUNK = VersionWriter.CHUNK;

    @Inject
    PgStores stores;
    @Inject
    GroupCommit commit;
    @Inject
    RetentionPolicies policies;
    @Inject
    RetentionJob job;
    @Inject
    AuthMode auth;
    @Inject
    CatalogedChunkStore chunkStore;
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private final NodeKey owner = NodeKey.generate();
    private GroupId group;
    private PgIndexStore store;
    private VersionWriter writer;

    @BeforeEach
    void aGroup() {
        ApiAuth.sendLocalToken(auth);
        group = TestGroups.create(stores, "backups", NodeKey.generate(), owner, NodeKey.generate());
        store = stores.open(group);
        writer = new VersionWriter(group, owner, store, chunkStore);
    }

    @AfterEach
    void noToken() {
        ApiAuth.reset();
    }

    private SignedEntry write(String path) throws Exception {
        return writer.write(path);
    }

    private SignedEntry delete(String path) {
        return writer.delete(path);
    }

    private void policy(long keepVersions, long keepDays, long quota) {
        policies.set(group, new RetentionPolicy.Change(keepVersions, keepDays, quota, null));
    }

    private RetentionJob.GroupReport run(Instant at) {
        return job.runAt(at).groups().stream().filter(r -> r.group().equals(group)).findFirst().orElseThrow();
    }

    private static byte[] bytesOf(long seq, String path) {
        return VersionWriter.bytesOf(seq, path);
    }

    private static ChunkHash chunkOf(SignedEntry e) {
        return VersionWriter.chunkOf(e);
    }

    private byte[] content(SignedEntry e) {
        return VersionWriter.content(group, e);
    }

    private JsonPath storage() {
        return given().get("/api/v1/groups/" + group + "/storage").then().statusCode(200).extract().jsonPath();
    }

    /** A counter from the hub's Prometheus metrics (management interface). */
    private double metric(String name) throws Exception {
        String text = given().get(new java.net.URL(management, "/q/metrics")).then().statusCode(200).extract()
                .asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + name + " in /q/metrics"));
    }

    private static JsonPath hubStorage() {
        return given().get("/api/v1/storage").then().statusCode(200).extract().jsonPath();
    }

    private static List<Long> seqs(List<StoredVersion> versions) {
        return versions.stream().map(StoredVersion::seq).toList();
    }

    private List<Long> seqsOf(PgIndexStore s, String path) {
        return seqs(s.versions(SafePath.of(path)));
    }

    @Test
    void keepsTheLastVersionsOfAPathAndADeletedFileForItsDays() throws Exception {
        policy(3, 7, 0);
        List<SignedEntry> edits = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            edits.add(write("docs/a.txt")); // created, then edited 5 times: seqs 1..6
        }
        SignedEntry b = write("b.txt"); // 7
        delete("b.txt"); // 8
        Instant now = Instant.now();

        RetentionJob.GroupReport first = run(now);
        assertThat(seqsOf(store, "docs/a.txt")).containsExactly(6L, 5L, 4L);
        assertThat(seqsOf(store, "b.txt")).containsExactly(8L, 7L);
        assertThat(first.versionsPruned()).isEqualTo(3);
        assertThat(first.why()).containsEntry(RetentionPlan.Reason.VERSIONS, 3);
        assertThat(first.bytesReleased()).isEqualTo(3L * CHUNK);
        for (int i = 0; i < 3; i++) { // the pruned versions' chunk lists are gone, the kept ones' stay
            BlobId gone = edits.get(i).entry().blob();
            assertThat(store.chunkList(gone)).isEmpty();
            assertThat(store.isComplete(gone)).isFalse();
        }
        assertThat(store.isComplete(edits.get(3).entry().blob())).isTrue();

        // The first run kept the chunks: they were stored within the grace period (an hour).
        assertThat(chunkStore.contains(chunkOf(edits.get(0)))).isTrue();

        // Six days on, the deleted file can still be had back; the pruned versions' chunks are gone now.
        RetentionJob.GroupReport sixDays = run(now.plus(Duration.ofDays(6)));
        assertThat(sixDays.versionsPruned()).isZero();
        assertThat(seqsOf(store, "b.txt")).containsExactly(8L, 7L);
        assertThat(store.isComplete(b.entry().blob())).isTrue();
        for (int i = 0; i < 6; i++) {
            assertThat(chunkStore.contains(chunkOf(edits.get(i)))).as("chunk of version %d", i + 1).isEqualTo(i >= 3);
            assertThat(content(edits.get(i))).as("version %d over REST", i + 1)
                    .isEqualTo(i >= 3 ? bytesOf(i + 1, "docs/a.txt") : null);
        }
        assertThat(content(b)).isEqualTo(bytesOf(7, "b.txt"));
        assertThat(chunkStore.contains(chunkOf(b))).isTrue();

        // Seven days after its deletion it goes, and so do a.txt's replaced versions; current ones stay.
        RetentionJob.GroupReport eightDays = run(now.plus(Duration.ofDays(7)).plusSeconds(60));
        assertThat(seqsOf(store, "b.txt")).containsExactly(8L);
        assertThat(seqsOf(store, "docs/a.txt")).containsExactly(6L);
        assertThat(eightDays.why()).containsEntry(RetentionPlan.Reason.DAYS, 3);
        assertThat(store.chunkList(b.entry().blob())).isEmpty();
        assertThat(store.isComplete(edits.get(5).entry().blob())).isTrue();
        assertThat(chunkStore.contains(chunkOf(b))).isFalse();
        assertThat(chunkStore.contains(chunkOf(edits.get(4)))).isFalse();
        assertThat(chunkStore.contains(chunkOf(edits.get(5)))).isTrue();

        // Every version kept restores byte for byte; the removed ones are gone.
        assertThat(content(edits.get(5))).isEqualTo(bytesOf(6, "docs/a.txt"));
        for (int i = 0; i < 5; i++) {
            assertThat(content(edits.get(i))).as("version %d", i + 1).isNull();
        }
        assertThat(content(b)).isNull();

        // What the database holds, read again from scratch: the same.
        PgIndexStore reloaded = new PgStores(commit).open(group);
        assertThat(seqsOf(reloaded, "docs/a.txt")).containsExactly(6L);
        assertThat(seqsOf(reloaded, "b.txt")).containsExactly(8L);
        assertThat(reloaded.chunkList(b.entry().blob())).isEmpty();
        assertThat(reloaded.isComplete(edits.get(5).entry().blob())).isTrue();

        JsonPath audit = given().queryParam("group", group.toString()).queryParam("action", RetentionJob.AUDIT_ACTION)
                .get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("events")).hasSize(2);
        assertThat(audit.getInt("events[0].after.pruned")).isEqualTo(3);
        assertThat(audit.getInt("events[0].after.why.days")).isEqualTo(3);
        assertThat(audit.getInt("events[1].after.why.versions")).isEqualTo(3);
        assertThat(audit.getString("events[0].actor")).isEqualTo(RetentionJob.ACTOR);
    }

    @Test
    void aQuotaPrunesTheVersionsReplacedLongestAgoAndNeverACurrentOne() throws Exception { // and says so in the metrics
        policy(10, 30, 3_500);
        for (int i = 0; i < 4; i++) {
            write("p.txt"); // 1..4
        }
        write("q.txt"); // 5
        write("q.txt"); // 6: 6,000 bytes in all, 2,000 of them current
        JsonPath storage = storage();
        assertThat(storage.getLong("currentBytes")).isEqualTo(2_000);
        assertThat(storage.getLong("historyBytes")).isEqualTo(4_000);
        assertThat(storage.getInt("versions")).isEqualTo(6);
        assertThat(storage.getInt("currentVersions")).isEqualTo(2);
        long reclaimableBefore = hubStorage().getLong("reclaimableBytes");
        double prunedBefore = metric("savesync_retention_versions_pruned_total");
        double releasedBefore = metric("savesync_retention_bytes_released_total");
        RetentionJob.GroupReport r = run(Instant.now());
        assertThat(metric("savesync_retention_versions_pruned_total") - prunedBefore).isEqualTo(3.0);
        assertThat(metric("savesync_retention_bytes_released_total") - releasedBefore).isEqualTo(3_000.0);
        assertThat(storage().getLong("historyBytes")).isEqualTo(1_000);
        assertThat(storage().getLong("currentBytes")).isEqualTo(2_000);
        // The pruned versions' chunks are still stored (within the grace period), and now reclaimable.
        assertThat(hubStorage().getLong("reclaimableBytes") - reclaimableBefore).isEqualTo(3_000);
        assertThat(seqsOf(store, "p.txt")).containsExactly(4L);
        assertThat(seqsOf(store, "q.txt")).containsExactly(6L, 5L);
        assertThat(r.why()).containsExactly(Map.entry(RetentionPlan.Reason.QUOTA, 3));
        assertThat(r.bytesBefore()).isEqualTo(6_000);
        assertThat(r.bytesAfter()).isEqualTo(3_000);

        policy(10, 30, 500); // less than the current files alone: all history goes, they stay
        RetentionJob.GroupReport tight = run(Instant.now());
        assertThat(seqsOf(store, "q.txt")).containsExactly(6L);
        assertThat(seqsOf(store, "p.txt")).containsExactly(4L);
        assertThat(tight.bytesAfter()).isEqualTo(2_000);
    }

    /**
     * Two members wrote the same path, neither knowing of the other's version: both are
     * current (the newest of their author), and retention keeps both whatever the policy.
     */
    @Test
    void concurrentVersionsOfTwoAuthorsAreBothCurrentAndKept() throws Exception {
        policy(1, 0, 0);
        write("same.txt"); // seq 1 by the owner
        NodeKey other = NodeKey.generate();
        SignedEntry theirs = SignedEntry.sign(Entry.file(group, other.nodeId(), 1, SafePath.of("same.txt"),
                BlobId.EMPTY, 0, 5, false, 1_700_000_000_005L, VersionVector.of(Map.of(other.nodeId(), 1L))), other);
        store.store(List.of(theirs), Map.of(other.nodeId(), 1L));
        RetentionJob.GroupReport r = run(Instant.now().plus(Duration.ofDays(1)));
        assertThat(r.why()).isEmpty();
        assertThat(r.bytesAfter()).isEqualTo(CHUNK);
        assertThat(store.versions(SafePath.of("same.txt"))).hasSize(2).allMatch(StoredVersion::current);
    }

    /** More versions than one delete statement takes ({@code VersionRows.DELETE_BATCH}) go in one run. */
    @Test
    void thousandsOfVersionsGoInOneRun() throws Exception {
        policy(1, 30, 0);
        List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            paths.add("many/f" + i);
        }
        writer.write(paths);
        List<SignedEntry> second = writer.write(paths);
        RetentionJob.GroupReport r = run(Instant.now());
        assertThat(r.versionsPruned()).isEqualTo(1_200);
        assertThat(r.versionsBefore()).isEqualTo(2_400);
        assertThat(store.versions()).hasSize(1_200).allMatch(StoredVersion::current);
        assertThat(content(second.getLast())).isEqualTo(VersionWriter.bytesOf(second.getLast()));
    }

    @Test
    void versionsOfAPathOverRestNewestFirstWithTheAuthorsName() throws Exception {
        write("notes/x.md");
        write("notes/x.md");
        delete("notes/x.md");
        JsonPath v = given().queryParam("path", "notes/x.md").get("/api/v1/groups/" + group + "/versions").then()
                .statusCode(200).extract().jsonPath();
        assertThat(v.getList("type")).containsExactly("DELETED", "FILE", "FILE");
        assertThat(v.getList("id")).containsExactly(owner.nodeId() + ":3", owner.nodeId() + ":2",
                owner.nodeId() + ":1");
        assertThat(v.getList("authorName")).containsOnly("owner");
        assertThat(v.getList("current")).containsExactly(true, false, false);
        assertThat(v.getString("[0].replacedAt")).isNull();
        assertThat(v.getString("[1].replacedAt")).isNotNull();
        // Each file version's bytes, as the hub keeps them; a deletion has none.
        for (long s = 1; s <= 2; s++) {
            byte[] got = given().queryParam("version", owner.nodeId() + ":" + s).get("/api/v1/groups/" + group
                    + "/versions/content").then().statusCode(200).extract().asByteArray();
            assertThat(got).isEqualTo(bytesOf(s, "notes/x.md"));
        }
        given().queryParam("version", owner.nodeId() + ":3").get("/api/v1/groups/" + group + "/versions/content")
                .then().statusCode(404);
        given().queryParam("version", owner.nodeId() + ":9").get("/api/v1/groups/" + group + "/versions/content")
                .then().statusCode(404);
        for (String bad : List.of("", "x:1", owner.nodeId() + ":0", owner.nodeId() + ":-1", owner.nodeId().toString())) {
            given().queryParam("version", bad).get("/api/v1/groups/" + group + "/versions/content").then()
                    .statusCode(400);
        }
        given().get("/api/v1/groups/" + group + "/versions").then().statusCode(400);
        given().queryParam("path", "../x").get("/api/v1/groups/" + group + "/versions").then().statusCode(400);
        given().queryParam("path", "x").get("/api/v1/groups/" + GroupId.random() + "/versions").then().statusCode(404);
    }

    @Test
    void anAdminRunsRetentionNowOverRest() throws Exception {
        policy(1, 30, 0);
        write("r.txt");
        write("r.txt");
        JsonPath run = given().post("/api/v1/retention/run").then().statusCode(200).extract().jsonPath();
        Map<String, Object> mine = run.<Map<String, Object>>getList("groups").stream()
                .filter(g -> g.get("groupId").equals(group.toString())).findFirst().orElseThrow();
        assertThat(mine).containsEntry("versionsPruned", 1).containsEntry("bytesReleased", CHUNK);
        assertThat(seqsOf(store, "r.txt")).containsExactly(2L);
        ApiAuth.reset();
        given().header("Authorization", "Bearer not-the-token").post("/api/v1/retention/run").then().statusCode(401);
        given().post("/api/v1/retention/run").then().statusCode(401);
    }
}
