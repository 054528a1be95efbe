package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.testsupport.Manifest;
import org.savesync.core.testsupport.TreeBuilder;

/**
 * Renames cost the author no hashing: a moved file (same inode, size and mtime as a path that
 * vanished in the same scan) reuses the vanished file's blob. The receiver rebuilds it from
 * the bytes it already has. An edited-then-moved file, or a new file that only looks like a
 * vanished one (same size and mtime, another inode), is hashed.
 */
class RenameDetectionTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void movingALargeFileAndADirectoryHashesNothing() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        TreeBuilder t = TreeBuilder.at(a);
        EditLocalityTest.writeRandom(a.resolve("big.bin"), 64L * MIB, new SplittableRandom(1));
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 100; i++) {
            t.randomFile("photos/p" + i + ".jpg", rnd.nextInt(1, 64 * 1024), rnd.nextLong());
        }
        try (SimCluster c = new SimCluster(tmp, 2, 3, SimCluster.fastConfig("rename")).formGroup()) {
            awaitSame(c, a, b);
            EngineStats sa = c.engines.get(0).stats();
            EngineStats sb = c.engines.get(1).stats();

            long hashed = sa.bytesHashed.sum();
            long renames = sa.renamesDetected.sum();
            long fetched = sb.chunkBytesFetched.sum();
            c.handle(0).withFolderLock(() -> {
                Files.createDirectories(a.resolve("archive"));
                return Files.move(a.resolve("big.bin"), a.resolve("archive/big-moved.bin"),
                        StandardCopyOption.ATOMIC_MOVE);
            });
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            awaitSame(c, a, b);
            assertThat(sa.bytesHashed.sum() - hashed).as("bytes the author hashed for a 64 MiB rename").isZero();
            assertThat(sa.renamesDetected.sum() - renames).isEqualTo(1);
            assertThat(sb.chunkBytesFetched.sum() - fetched).as("chunk bytes the receiver fetched").isZero();
            assertThat(Files.exists(b.resolve("big.bin"))).isFalse();
            assertThat(Files.size(b.resolve("archive/big-moved.bin"))).isEqualTo(64L * MIB);

            hashed = sa.bytesHashed.sum();
            renames = sa.renamesDetected.sum();
            fetched = sb.chunkBytesFetched.sum();
            c.handle(0).withFolderLock(() -> Files.move(a.resolve("photos"), a.resolve("pictures"),
                    StandardCopyOption.ATOMIC_MOVE));
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            awaitSame(c, a, b);
            assertThat(sa.bytesHashed.sum() - hashed).as("bytes the author hashed for a directory rename").isZero();
            assertThat(sa.renamesDetected.sum() - renames).isEqualTo(100);
            assertThat(sb.chunkBytesFetched.sum() - fetched).as("chunk bytes the receiver fetched").isZero();
            assertThat(Files.exists(b.resolve("photos"))).isFalse();
            assertThat(Manifest.of(b).paths()).filteredOn(p -> p.startsWith("pictures/")).hasSize(100);
        }
    }

    @Test
    void anEditedThenMovedFileIsHashed() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        TreeBuilder.at(a).randomFile("notes.bin", 4 * MIB, 5);
        try (SimCluster c = new SimCluster(tmp, 2, 3, SimCluster.fastConfig("rename")).formGroup()) {
            awaitSame(c, a, b);
            EngineStats sa = c.engines.get(0).stats();
            long hashed = sa.bytesHashed.sum();
            FileTime before = Files.getLastModifiedTime(a.resolve("notes.bin"));
            c.handle(0).withFolderLock(() -> {
                // Same size, same inode: only the mtime tells that the content changed.
                try (FileChannel ch = FileChannel.open(a.resolve("notes.bin"), StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 2 * MIB);
                }
                return Files.move(a.resolve("notes.bin"), a.resolve("notes-v2.bin"), StandardCopyOption.ATOMIC_MOVE);
            });
            assertThat(Files.getLastModifiedTime(a.resolve("notes-v2.bin"))).isNotEqualTo(before);
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            awaitSame(c, a, b);
            assertThat(sa.bytesHashed.sum() - hashed).isEqualTo(4L * MIB);
            assertThat(sa.renamesDetected.sum()).isZero();
            assertThat(Files.exists(b.resolve("notes.bin"))).isFalse();
        }
    }

    @Test
    void aNewFileWithAVanishedFilesSizeAndMtimeButAnotherInodeIsHashed() throws Exception {
        Path a = tmp.resolve("node0");
        Path b = tmp.resolve("node1");
        TreeBuilder.at(a).randomFile("old.bin", MIB, 8);
        try (SimCluster c = new SimCluster(tmp, 2, 3, SimCluster.fastConfig("rename")).formGroup()) {
            awaitSame(c, a, b);
            EngineStats sa = c.engines.get(0).stats();
            long hashed = sa.bytesHashed.sum();
            c.handle(0).withFolderLock(() -> {
                // Created before the old one is deleted, so it cannot reuse its inode.
                TreeBuilder.at(a).randomFile("new.bin", MIB, 9);
                Files.setLastModifiedTime(a.resolve("new.bin"), Files.getLastModifiedTime(a.resolve("old.bin")));
                Files.delete(a.resolve("old.bin"));
                return null;
            });
            c.handle(0).scan().get(60, TimeUnit.SECONDS);
            awaitSame(c, a, b);
            assertThat(sa.bytesHashed.sum() - hashed).isEqualTo(MIB);
            assertThat(sa.renamesDetected.sum()).isZero();
            assertThat(Manifest.sha256(b.resolve("new.bin"))).isEqualTo(Manifest.sha256(a.resolve("new.bin")));
        }
    }

    /** Both idle, same entries, and the trees identical (content, type, mtime, exec bit). */
    private static void awaitSame(SimCluster c, Path a, Path b) throws IOException {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                c.handle(0).status().idle() && c.handle(1).status().idle()
                        && c.handle(0).knowledge().equals(c.handle(1).knowledge())
                        && Manifest.of(a).equals(Manifest.of(b)));
        Manifest.assertSame(Manifest.of(a), Manifest.of(b));
    }
}
