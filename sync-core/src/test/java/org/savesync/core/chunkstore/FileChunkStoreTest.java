package org.savesync.core.chunkstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.ChunkHash;

class FileChunkStoreTest {
    @TempDir
    Path root;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ChunkHash hash(byte[] data) {
        return ChunkHash.compute(data);
    }

    @Test
    void aStoredChunkIsReadBackFromItsTwoLevelPathAndCounted() throws Exception {
        byte[] data = bytes("hello chunk");
        ChunkHash h = hash(data);
        try (FileChunkStore store = FileChunkStore.open(root)) {
            assertThat(store.contains(h)).isFalse();
            assertThat(store.get(h)).isEmpty();

            store.put(h, data);
            store.sync();

            String hex = h.toString();
            assertThat(root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex)).hasBinaryContent(data);
            assertThat(store.contains(h)).isTrue();
            assertThat(store.get(h)).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.bytes()).isEqualTo(data.length);
        }
    }

    @Test
    void puttingAChunkTwiceStoresItOnceAndDeleteForgetsIt() throws Exception {
        byte[] a = bytes("aaaa");
        byte[] b = bytes("bbbbbbbb");
        try (FileChunkStore store = FileChunkStore.open(root)) {
            store.put(hash(a), a);
            store.put(hash(a), a);
            store.put(hash(b), b);
            assertThat(store.count()).isEqualTo(2);
            assertThat(store.bytes()).isEqualTo(12);

            store.delete(hash(a));
            store.delete(hash(a));
            store.delete(hash(bytes("never stored")));

            assertThat(store.contains(hash(a))).isFalse();
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.bytes()).isEqualTo(8);
            Set<ChunkHash> listed = new HashSet<>();
            store.forEach(listed::add);
            assertThat(listed).containsExactly(hash(b));
        }
    }

    @Test
    void reopeningCountsWhatIsOnDisk() throws Exception {
        List<ChunkHash> hashes = new ArrayList<>();
        long total = 0;
        try (FileChunkStore store = FileChunkStore.open(root)) {
            for (int i = 0; i < 50; i++) {
                byte[] data = bytes("chunk number " + i + " ".repeat(i));
                hashes.add(hash(data));
                total += data.length;
                store.put(hash(data), data);
            }
            store.sync();
        }
        try (FileChunkStore reopened = FileChunkStore.open(root)) {
            assertThat(reopened.count()).isEqualTo(50);
            assertThat(reopened.bytes()).isEqualTo(total);
            Set<ChunkHash> listed = new HashSet<>();
            reopened.forEach(listed::add);
            assertThat(listed).containsExactlyInAnyOrderElementsOf(hashes);
        }
    }

    @Test
    void aHalfWrittenTempFileFromACrashIsRemovedAndNeverSeenAsAChunk() throws Exception {
        byte[] whole = bytes("the whole chunk, as it would have been");
        ChunkHash h = hash(whole);
        try (FileChunkStore store = FileChunkStore.open(root)) {
            store.put(hash(bytes("kept")), bytes("kept"));
        }
        // What a kill -9 in the middle of put leaves: part of the bytes in a temp file, nothing in place.
        Path tmp = root.resolve(FileChunkStore.TMP_DIR);
        Path partial = tmp.resolve(h + ".5eed.tmp");
        Files.write(partial, java.util.Arrays.copyOf(whole, 10));

        try (FileChunkStore store = FileChunkStore.open(root)) {
            assertThat(partial).doesNotExist();
            assertThat(tmp).isEmptyDirectory();
            assertThat(store.contains(h)).isFalse();
            assertThat(store.get(h)).isEmpty();
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.bytes()).isEqualTo(4);
            List<ChunkHash> listed = new ArrayList<>();
            store.forEach(listed::add);
            assertThat(listed).containsExactly(hash(bytes("kept")));

            store.put(h, whole);
            assertThat(store.get(h)).hasValueSatisfying(b -> assertThat(b).isEqualTo(whole));
        }
    }

    @Test
    void aChunkFileOfTheWrongLengthIsReplacedByAPut() throws Exception {
        byte[] data = bytes("0123456789abcdef");
        ChunkHash h = hash(data);
        try (FileChunkStore store = FileChunkStore.open(root)) {
            store.put(h, data);
            Files.write(store.pathOf(h), java.util.Arrays.copyOf(data, 5)); // damage on disk
        }
        try (FileChunkStore store = FileChunkStore.open(root)) {
            assertThat(store.bytes()).isEqualTo(5);
            store.put(h, data);
            assertThat(store.get(h)).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.bytes()).isEqualTo(data.length);
        }
    }

    @Test
    void filesThatAreNotNamedLikeAChunkAreIgnored() throws Exception {
        byte[] data = bytes("real");
        ChunkHash h = hash(data);
        try (FileChunkStore store = FileChunkStore.open(root)) {
            store.put(h, data);
            Path dir = store.pathOf(h).getParent();
            Files.writeString(dir.resolve("notes.txt"), "an operator's file");
            Files.writeString(dir.resolve("f".repeat(64)), "a chunk name in the wrong directory");
            Files.createDirectories(root.resolve("zz"));
        }
        try (FileChunkStore store = FileChunkStore.open(root)) {
            assertThat(store.count()).isEqualTo(1);
            List<ChunkHash> listed = new ArrayList<>();
            store.forEach(listed::add);
            assertThat(listed).containsExactly(h);
        }
    }

    @Test
    void concurrentPutsOfTheSameChunkStoreItOnceAndLeaveNoTempFiles() throws Exception {
        byte[] data = bytes("x".repeat(100_000));
        ChunkHash h = hash(data);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileChunkStore store = FileChunkStore.open(root)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    store.put(h, data);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            store.sync();
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.bytes()).isEqualTo(data.length);
            assertThat(store.get(h)).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
            try (Stream<Path> temps = Files.list(root.resolve(FileChunkStore.TMP_DIR))) {
                assertThat(temps).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedStoreRefusesToWork() throws Exception {
        FileChunkStore store = FileChunkStore.open(root);
        store.close();
        assertThatThrownBy(() -> store.put(hash(bytes("a")), bytes("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
