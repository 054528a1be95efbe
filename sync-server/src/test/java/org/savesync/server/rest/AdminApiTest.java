package org.savesync.server.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.testing.ApiAuth;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.Role;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.NodeRegistry;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.testing.ExternalPostgresProfile;
import org.savesync.server.testing.HubTestData;
import org.savesync.server.testing.RequiresExternalPostgres;
import org.savesync.server.testing.TestPresence;

/**
 * The admin API over a replica filled through the hub's own stores: one group with a hub,
 * an owner (alice) and a member (bob); a complete 300 KB file, an incomplete one, an empty
 * one, a directory and a deletion.
 */
@QuarkusTest
@TestProfile(ExternalPostgresProfile.class)
@RequiresExternalPostgres
class AdminApiTest {
    @Inject
    AuthMode auth;

    /** Every request sends the hub's local admin token (LocalTokenAuthTest covers requests without it). */
    @BeforeEach
    void sendAdminToken() {
        ApiAuth.sendLocalToken(auth);
    }

    @AfterEach
    void sendNoToken() {
        ApiAuth.reset();
    }

    private static final long HLC = Hlc.of(1_700_000_000_000L, 0);
    private static final NodeKey ALICE = NodeKey.generate();
    private static final NodeKey BOB = NodeKey.generate();
    private static final NodeKey HUB = NodeKey.generate();

    @Inject
    PgStores stores;
    @Inject
    CatalogedChunkStore chunks;
    @Inject
    NodeRegistry registry;
    @Inject
    TestPresence presence;

    private final GroupId group = GroupId.random();
    private byte[] content;
    private List<ChunkRef> contentChunks;
    private long incompleteSize;

    @BeforeEach
    void replica() throws Exception {
        HubTestData.clear(chunks);
        presence.clear();
        MemberList list = new MemberList(group, 2, HUB.nodeId(), 2_000, List.of(
                new Member(ALICE.nodeId(), "alice", Role.OWNER, 1_000, ALICE.nodeId()),
                new Member(BOB.nodeId(), "bob", Role.MEMBER, 1_500, ALICE.nodeId()),
                new Member(HUB.nodeId(), "hub", Role.HUB, 2_000, ALICE.nodeId())));
        SignedMemberList signed = SignedMemberList.sign(list, HUB);
        byte[] handover = "stand-in handover".getBytes();
        PgIndexStore s = stores.open(group);
        s.saveInfo(new GroupInfo(group, "photos", null, HUB.nodeId(),
                new SignedRecord(signed.signedBytes(), signed.signature()), GroupSecret.random(1), Map.of(),
                new SignedRecord(handover, ALICE.sign(handover))));

        content = new byte[300_000];
        new Random(42).nextBytes(content);
        contentChunks = new ArrayList<>();
        for (int off = 0; off < content.length; off += 100_000) {
            byte[] part = Arrays.copyOfRange(content, off, off + 100_000);
            ChunkHash h = ChunkHash.compute(part);
            contentChunks.add(new ChunkRef(part.length, h));
            chunks.put(h, part);
        }
        chunks.sync();
        BlobId blob = BlobId.of(contentChunks);
        List<ChunkRef> missing = List.of(new ChunkRef(5_000, ChunkHash.compute(new byte[5_000])));
        incompleteSize = 5_000;
        s.store(List.of(
                directory(ALICE, 1, "docs"),
                file(ALICE, 2, "docs/a.txt", blob, content.length),
                file(BOB, 1, "b.bin", BlobId.of(missing), incompleteSize),
                file(BOB, 2, "empty.txt", BlobId.EMPTY, 0),
                SignedEntry.sign(Entry.deleted(group, BOB.nodeId(), 3, SafePath.of("gone.txt"), HLC + 3,
                        VersionVector.of(Map.of(BOB.nodeId(), 3L))), BOB)), Map.of());
        s.putChunkList(blob, contentChunks);
        s.putChunkList(BlobId.of(missing), missing);
        s.markComplete(blob);
    }

    private SignedEntry file(NodeKey author, long seq, String path, BlobId blob, long size) {
        return SignedEntry.sign(Entry.file(group, author.nodeId(), seq, SafePath.of(path), blob, size,
                1_000_000_000L * seq, false, HLC + seq, VersionVector.of(Map.of(author.nodeId(), seq))), author);
    }

    private SignedEntry directory(NodeKey author, long seq, String path) {
        return SignedEntry.sign(Entry.directory(group, author.nodeId(), seq, SafePath.of(path), 0, HLC + seq,
                VersionVector.of(Map.of(author.nodeId(), seq))), author);
    }

    @Test
    void oneGroupHasTheSameCountsAsInTheList() {
        given().when().get("/api/v1/groups/" + group).then().statusCode(200)
                .body("id", equalTo(group.toString()))
                .body("files", equalTo(3))
                .body("filesComplete", equalTo(2))
                .body("filesIncomplete", equalTo(1));
    }

    @Test
    void groupsShowCountsAndSizes() {
        given().when().get("/api/v1/groups").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo(group.toString()))
                .body("[0].name", equalTo("photos"))
                .body("[0].authority", equalTo(HUB.nodeId().toString()))
                .body("[0].members", equalTo(3))
                .body("[0].memberListVersion", equalTo(2))
                .body("[0].entries", equalTo(5))
                .body("[0].files", equalTo(3))
                .body("[0].bytes", equalTo((int) (content.length + incompleteSize)))
                .body("[0].bytesStored", equalTo(content.length))
                .body("[0].filesComplete", equalTo(2))
                .body("[0].filesIncomplete", equalTo(1));
    }

    @Test
    void membersShowPresenceAndWhatTheyHold() {
        registry.seen(ALICE.nodeId(), "alice's laptop", List.of("192.0.2.1:4433"), 1_700_000_000_000L);
        registry.seen(BOB.nodeId(), "bob", List.of(), 1_700_000_000_000L);
        presence.setSelf(HUB.nodeId());
        presence.setOnline(ALICE.nodeId());
        presence.setUpToDate(group, BOB.nodeId());
        java.time.Instant asked = java.time.Instant.now();

        JsonPath members = given().when().get("/api/v1/groups/" + group + "/members").then().statusCode(200)
                .extract().jsonPath();

        Map<String, Object> alice = member(members, ALICE);
        assertThat(alice).containsEntry("role", "OWNER").containsEntry("online", true)
                .containsEntry("upToDate", false);
        assertThat(java.time.Instant.parse((String) alice.get("lastSeen"))).as("online: seen now").isAfterOrEqualTo(asked);
        assertThat(alice.get("bytesHeld")).isNull();
        assertThat(member(members, BOB)).containsEntry("online", false).containsEntry("upToDate", true)
                .containsEntry("bytesHeld", (int) (content.length + incompleteSize));
        assertThat(member(members, HUB)).containsEntry("role", "HUB").containsEntry("bytesHeld", content.length)
                .containsEntry("online", true).containsEntry("upToDate", true);
        assertThat(java.time.Instant.parse((String) member(members, HUB).get("lastSeen"))).isAfterOrEqualTo(asked);
        assertThat(member(members, BOB).get("lastSeen")).as("offline: when it was last seen")
                .isEqualTo("2023-11-14T22:13:20Z");
    }

    private static Map<String, Object> member(JsonPath members, NodeKey who) {
        List<Map<String, Object>> all = members.getList("$");
        return all.stream().filter(m -> who.nodeId().toString().equals(m.get("nodeId"))).findFirst().orElseThrow();
    }

    @Test
    void nodesListEnrolledNodesAndMembersWithTheirGroups() {
        NodeKey stranger = NodeKey.generate();
        registry.enroll(stranger.nodeId(), "enrolled, in no group", 5_000);
        registry.enroll(ALICE.nodeId(), "alice's laptop", 6_000);
        presence.setSelf(HUB.nodeId());

        JsonPath nodes = given().when().get("/api/v1/nodes").then().statusCode(200).extract().jsonPath();

        List<Map<String, Object>> all = nodes.getList("$");
        assertThat(all).extracting(n -> n.get("nodeId")).containsExactlyInAnyOrder(ALICE.nodeId().toString(),
                BOB.nodeId().toString(), HUB.nodeId().toString(), stranger.nodeId().toString());
        Map<String, Object> alice = all.stream().filter(n -> ALICE.nodeId().toString().equals(n.get("nodeId")))
                .findFirst().orElseThrow();
        assertThat(alice).containsEntry("enrolled", true).containsEntry("name", "alice's laptop")
                .containsEntry("groups", List.of(group.toString()));
        Map<String, Object> bob = all.stream().filter(n -> BOB.nodeId().toString().equals(n.get("nodeId")))
                .findFirst().orElseThrow();
        assertThat(bob).containsEntry("enrolled", false).containsEntry("name", "bob")
                .containsEntry("groups", List.of(group.toString()));
        Map<String, Object> lone = all.stream().filter(n -> stranger.nodeId().toString().equals(n.get("nodeId")))
                .findFirst().orElseThrow();
        assertThat(lone).containsEntry("enrolled", true).containsEntry("groups", List.of());
        Map<String, Object> hub = all.stream().filter(n -> HUB.nodeId().toString().equals(n.get("nodeId")))
                .findFirst().orElseThrow();
        assertThat(hub).as("the hub itself").containsEntry("hub", true).containsEntry("enrolled", true)
                .containsEntry("online", true).containsEntry("addresses", List.of("192.0.2.9:22000"));
        assertThat(hub.get("lastSeen")).isNotNull();
        assertThat(bob).containsEntry("hub", false);
    }

    @Test
    void filesAreTheCurrentVersionsByPath() {
        given().when().get("/api/v1/groups/" + group + "/files").then().statusCode(200)
                .body("path", contains("b.bin", "docs", "docs/a.txt", "empty.txt"))
                .body("type", contains("FILE", "DIRECTORY", "FILE", "FILE"))
                .body("complete", contains(false, true, true, true))
                .body("[2].size", equalTo(content.length))
                .body("[2].blob", equalTo(BlobId.of(contentChunks).toString()))
                .body("[2].author", equalTo(ALICE.nodeId().toString()))
                .body("[2].mtime", equalTo("1970-01-01T00:00:02Z"))
                .body("[1].blob", nullValue());
    }

    @Test
    void aCompleteFileIsServedByteForByte() {
        byte[] served = given().queryParam("path", "docs/a.txt").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(200).extract().asByteArray();
        assertThat(served).isEqualTo(content);

        byte[] empty = given().queryParam("path", "empty.txt").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(200).extract().asByteArray();
        assertThat(empty).isEmpty();
    }

    @Test
    void errorsComeInTheEnvelopeWithTheRightStatus() {
        given().queryParam("path", "b.bin").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(409).body("status", equalTo("error")).body("error", containsString("b.bin"));
        given().queryParam("path", "nope.txt").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(404).body("status", equalTo("error"));
        given().queryParam("path", "gone.txt").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(404);
        given().queryParam("path", "docs").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(404);
        given().queryParam("path", "../etc/passwd").when().get("/api/v1/groups/" + group + "/files/content")
                .then().statusCode(400).body("status", equalTo("error"));
        given().when().get("/api/v1/groups/" + GroupId.random() + "/members")
                .then().statusCode(404).body("error", containsString("GET /api/v1/groups"));
        given().when().get("/api/v1/groups/" + GroupId.random()).then().statusCode(404).body("status", equalTo("error"));
        given().when().get("/api/v1/groups/not-a-group/files").then().statusCode(400).body("status", equalTo("error"));
    }

    @Test
    void theCheckReportsAnIntactReplicaAndThenACorruptChunk() throws Exception {
        given().when().get("/api/v1/check").then().statusCode(200)
                .body("ok", equalTo(true)).body("chunksChecked", equalTo(3));

        byte[] damaged = Files.readAllBytes(chunks.files().pathOf(contentChunks.get(1).hash()));
        damaged[0] ^= 1;
        Files.write(chunks.files().pathOf(contentChunks.get(1).hash()), damaged);

        given().when().get("/api/v1/check").then().statusCode(200)
                .body("ok", equalTo(false)).body("corrupt.count", equalTo(1))
                .body("corrupt.examples[0]", containsString(contentChunks.get(1).hash().toString()));
        // Serving the file now stops at the bad chunk instead of sending its bytes: the response is cut short.
        byte[] served;
        try {
            served = given().queryParam("path", "docs/a.txt").when().get("/api/v1/groups/" + group + "/files/content")
                    .then().extract().asByteArray();
        } catch (Exception cut) { // rest-assured rethrows the client's IOException unchecked
            served = null; // the client noticed the missing bytes itself
        }
        if (served != null) {
            assertThat(served.length).as("bytes served before the corrupt chunk").isLessThanOrEqualTo(100_000);
        }
    }

    /** OpenAPI is on the management interface, with health and metrics. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL openApi;

    @Test
    void theApiIsDescribedInOpenApi() throws Exception {
        given().when().get(new java.net.URL(openApi, "/q/openapi?format=json")).then().statusCode(200)
                .body("paths.keySet()", hasItem("/api/v1/groups/{id}/members"))
                .body("paths.keySet()", hasItem("/api/v1/nodes"))
                .body("paths.keySet()", hasItem("/api/v1/check"));
    }
}
