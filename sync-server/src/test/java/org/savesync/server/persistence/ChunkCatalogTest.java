package org.savesync.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunkstore.FileChunkStore;
import org.savesync.core.testsupport.Workloads;
import org.savesync.server.testing.ExternalPostgresProfile;
import org.savesync.server.testing.HubTestData;
import org.savesync.server.testing.RequiresExternalPostgres;

/** {@link CatalogedChunkStore}: a row per chunk file, and the startup reconciliation after a crash. */
@QuarkusTest
@TestProfile(ExternalPostgresProfile.class)
@RequiresExternalPostgres
class ChunkCatalogTest {
    @jakarta.inject.Inject
    GroupCommit commit;
    private Path dataDir;

    @BeforeEach
    void freshState() throws Exception {
        HubTestData.truncateTables();
        dataDir = Files.createTempDirectory("savesync-catalog");
    }

    @AfterEach
    void deleteDataDir() {
        if (dataDir != null) {
            Workloads.deleteTree(dataDir);
        }
    }

    private CatalogedChunkStore open() {
        CatalogedChunkStore store = new CatalogedChunkStore(dataDir, commit);
        store.start();
        return store;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPutChunkHasAFileAndARowAndADeleteRemovesBoth() throws Exception {
        CatalogedChunkStore store = open();
        byte[] data = bytes("some chunk bytes");
        ChunkHash h = ChunkHash.compute(data);

        store.put(h, data);
        store.put(h, data);
        store.sync();

        assertThat(CatalogedChunkStore.recordedLengths()).containsExactlyEntriesOf(java.util.Map.of(h, data.length));
        assertThat(store.files().pathOf(h)).hasBinaryContent(data);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(data.length);

        store.delete(h);
        assertThat(CatalogedChunkStore.recordedLengths()).isEmpty();
        assertThat(store.contains(h)).isFalse();
        assertThat(store.count()).isZero();
    }

    @Test
    void atStartupAFileWithoutARowIsRecordedOrDeletedWhenItsBytesDoNotMatch() throws Exception {
        byte[] good = bytes("a chunk whose row was never written");
        byte[] other = bytes("bytes that are not what the name says");
        ChunkHash goodHash = ChunkHash.compute(good);
        ChunkHash badHash = ChunkHash.compute(bytes("the real content"));
        // What a crash between moving the file into place and writing its row leaves (and one damaged file).
        try (FileChunkStore files = FileChunkStore.open(dataDir.resolve(CatalogedChunkStore.DIR))) {
            files.put(goodHash, good);
            files.put(badHash, other);
        }

        CatalogedChunkStore store = open();

        assertThat(CatalogedChunkStore.recordedLengths()).containsExactlyEntriesOf(java.util.Map.of(goodHash, good.length));
        assertThat(store.contains(goodHash)).isTrue();
        assertThat(store.contains(badHash)).isFalse();
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.bytes()).isEqualTo(good.length);
    }
}
