package org.savesync.server.backup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.ApiAuth;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.TestGroups;

/**
 * A group's folder at a point in time, over REST ({@code GET .../tree?at=}), against the running
 * hub: 1,000 files written, then a second batch of changes (edits, deletions, new files); the
 * tree at a time between the two is exactly the test's own manifest of the first batch, every
 * file's bytes included ({@code .../versions/content}), and the tree now is the second state.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class SnapshotTest {
    private static final int FILES = 1_000;

    @Inject
    PgStores stores;
    @Inject
    CatalogedChunkStore chunks;
    @Inject
    AuthMode auth;

    private GroupId group;
    private VersionWriter writer;
    private PgIndexStore store;

    @BeforeEach
    void aGroup() {
        ApiAuth.sendLocalToken(auth);
        NodeKey owner = NodeKey.generate();
        group = TestGroups.create(stores, "snapshots", NodeKey.generate(), owner, NodeKey.generate());
        store = stores.open(group);
        writer = new VersionWriter(group, owner, store, chunks);
    }

    @AfterEach
    void noToken() {
        ApiAuth.reset();
    }

    /** Path → SHA-256 of its bytes, as the test wrote them. */
    private static Map<String, String> manifest(Map<String, SignedEntry> current) {
        Map<String, String> out = new TreeMap<>();
        current.forEach((p, e) -> out.put(p, sha(VersionWriter.bytesOf(e))));
        return out;
    }

    /** Path → SHA-256 of the bytes the hub restores, for the tree at {@code at} (null: now). */
    private Map<String, String> restored(Instant at) {
        var req = given();
        if (at != null) {
            req = req.queryParam("at", at.toString());
        }
        JsonPath tree = req.get("/api/v1/groups/" + group + "/tree").then().statusCode(200).extract().jsonPath();
        Map<String, String> out = new TreeMap<>();
        List<Map<String, Object>> files = tree.getList("$");
        for (Map<String, Object> f : files) {
            assertThat(f.get("type")).isEqualTo("FILE");
            assertThat(f.get("complete")).isEqualTo(true);
            out.put((String) f.get("path"), sha(VersionWriter.content(group, (String) f.get("version"))));
        }
        return out;
    }

    private static String sha(byte[] data) {
        return HexFormat.of().formatHex(ChunkHash.compute(data).bytes());
    }

    @Test
    void theTreeBetweenTwoBatchesIsTheFirstBatchExactly() throws Exception {
        Map<String, SignedEntry> current = new TreeMap<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            paths.add("dir" + (i % 17) + "/sub" + (i % 5) + "/file-" + i + ".txt");
        }
        for (int from = 0; from < FILES; from += 100) {
            for (SignedEntry e : writer.write(paths.subList(from, from + 100))) {
                current.put(e.entry().path().toString(), e);
            }
        }
        Map<String, String> first = manifest(current);
        // Between the batches: the time the hub received the first batch's last version.
        Instant between = store.versions(SafePath.of(paths.getLast())).getFirst().receivedAt();

        List<String> edited = paths.subList(0, 300);
        List<String> deleted = paths.subList(300, 400);
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            added.add("new/file-" + i + ".txt");
        }
        for (SignedEntry e : writer.write(edited)) {
            current.put(e.entry().path().toString(), e);
        }
        writer.delete(deleted).forEach(e -> current.remove(e.entry().path().toString()));
        for (SignedEntry e : writer.write(added)) {
            current.put(e.entry().path().toString(), e);
        }
        assertThat(store.versions(SafePath.of(edited.getFirst())).getFirst().receivedAt()).isAfter(between);

        assertThat(restored(between)).hasSize(FILES).isEqualTo(first);
        assertThat(restored(null)).hasSize(FILES).isEqualTo(manifest(current)).isNotEqualTo(first);
        assertThat(restored(between.minusSeconds(3600))).isEmpty();

        JsonPath sub = given().queryParam("at", between.toString()).queryParam("prefix", "dir3")
                .get("/api/v1/groups/" + group + "/tree").then().statusCode(200).extract().jsonPath();
        assertThat(sub.getList("path", String.class)).isNotEmpty().allMatch(p -> p.startsWith("dir3/"))
                .hasSize((int) first.keySet().stream().filter(p -> p.startsWith("dir3/")).count());
        given().queryParam("at", "yesterday").get("/api/v1/groups/" + group + "/tree").then().statusCode(400);
        given().queryParam("prefix", "../etc").get("/api/v1/groups/" + group + "/tree").then().statusCode(400);
    }
}
