package org.savesync.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.membership.GroupId;
import org.savesync.core.testsupport.Workloads;
import org.savesync.server.testing.ExternalPostgresProfile;
import org.savesync.server.testing.HubTestData;
import org.savesync.server.testing.RequiresExternalPostgres;

/**
 * {@link ReplicaCheck} on a replica of one group: a complete blob (c1, c2, c3) and an
 * incomplete one (c4 stored, c5 not yet, c6). Each test damages it in one way per kind.
 */
@QuarkusTest
@TestProfile(ExternalPostgresProfile.class)
@RequiresExternalPostgres
class ReplicaCheckTest {
    @jakarta.inject.Inject
    GroupCommit commit;
    private CatalogedChunkStore store;
    private ReplicaCheck check;
    private Path dataDir;
    private final List<byte[]> data = new ArrayList<>();
    private final List<ChunkHash> c = new ArrayList<>();

    @BeforeEach
    void replica() throws Exception {
        HubTestData.truncateTables();
        dataDir = Files.createTempDirectory("savesync-check");
        store = new CatalogedChunkStore(dataDir, commit);
        store.start();
        check = new ReplicaCheck(store);
        for (int i = 0; i <= 7; i++) {
            byte[] bytes = ("chunk " + i + " ").repeat(50 + i).getBytes(StandardCharsets.UTF_8);
            data.add(bytes);
            c.add(ChunkHash.compute(bytes));
        }
        PgIndexStore index = new PgStores(commit).open(GroupId.random());
        List<ChunkRef> complete = refs(1, 2, 3);
        index.putChunkList(BlobId.of(complete), complete);
        List<ChunkRef> incomplete = refs(4, 5, 6);
        index.putChunkList(BlobId.of(incomplete), incomplete);
        for (int i : new int[] {1, 2, 3, 4}) {
            store.put(c.get(i), data.get(i));
        }
        store.sync();
        index.markComplete(BlobId.of(complete));
    }

    @AfterEach
    void deleteDataDir() {
        if (store != null) {
            store.stop();
        }
        if (dataDir != null) {
            Workloads.deleteTree(dataDir);
        }
    }

    private List<ChunkRef> refs(int... indexes) {
        return Arrays.stream(indexes).mapToObj(i -> new ChunkRef(data.get(i).length, c.get(i))).toList();
    }

    @Test
    void anIntactReplicaIsOk() {
        CheckReport r = check.run();

        assertThat(r.ok()).isTrue();
        assertThat(r.chunksChecked()).isEqualTo(4);
        assertThat(r.bytesChecked()).isEqualTo(data.get(1).length + data.get(2).length + data.get(3).length
                + data.get(4).length);
    }

    @Test
    void eachKindOfDamageIsCountedWithItsChunkAsExample() throws Exception {
        Path c1 = store.files().pathOf(c.get(1));
        byte[] flipped = data.get(1).clone();
        flipped[7] ^= 1;
        Files.write(c1, flipped);                                                 // corrupt
        Files.write(store.files().pathOf(c.get(2)), Arrays.copyOf(data.get(2), 10)); // truncated
        Files.delete(store.files().pathOf(c.get(3)));                             // missing (its blob is complete)
        store.put(c.get(7), data.get(7));                                         // unreferenced
        store.files().put(c.get(6), data.get(6));                                 // unrecorded: file, no row

        CheckReport r = check.run();

        assertThat(r.ok()).isFalse();
        assertThat(r.corrupt().count()).isEqualTo(1);
        assertThat(r.corrupt().examples()).singleElement().asString().startsWith(c.get(1).toString());
        assertThat(r.truncated().count()).isEqualTo(1);
        assertThat(r.truncated().examples()).singleElement().asString().startsWith(c.get(2).toString())
                .contains("10 bytes on disk");
        assertThat(r.missing().count()).isEqualTo(1);
        assertThat(r.missing().examples()).singleElement().asString().startsWith(c.get(3).toString());
        assertThat(r.unreferenced().count()).isEqualTo(1);
        assertThat(r.unreferenced().examples()).singleElement().asString().startsWith(c.get(7).toString());
        assertThat(r.unrecorded().count()).isEqualTo(1);
        assertThat(r.unrecorded().examples()).singleElement().asString().startsWith(c.get(6).toString());
        assertThat(store.files().pathOf(c.get(1))).as("read-only: nothing repaired").hasBinaryContent(flipped);
    }

    @Test
    void examplesStopAtTwentyButTheCountGoesOn() throws Exception {
        for (int i = 0; i < 25; i++) {
            byte[] orphan = ("orphan " + i).getBytes(StandardCharsets.UTF_8);
            store.put(ChunkHash.compute(orphan), orphan);
        }

        CheckReport r = check.run();

        assertThat(r.unreferenced().count()).isEqualTo(25);
        assertThat(r.unreferenced().examples()).hasSize(CheckReport.Finding.MAX_EXAMPLES);
    }
}
