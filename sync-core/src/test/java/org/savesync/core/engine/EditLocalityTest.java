package org.savesync.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.chunking.ChunkingParams;
import org.savesync.core.testsupport.Manifest;

/**
 * What an edit costs on the wire: over 20 seeds, a 64 MiB file is synced, then 1 MiB in its
 * middle is overwritten (at most 1 MiB + 2 × the maximum chunk size of chunk data may be
 * sent), then one byte is inserted at its start (at most 2 × the maximum chunk size). The
 * bytes counted are the chunk bytes the sender served. The engines talk over the in-memory
 * network (this measures chunking and reuse, not the transport).
 *
 * <p>64 MiB is 64 maximum-size chunks (about 256 average ones), so a chunker that does not
 * resynchronise after an edit sends far more than either bound, and is above
 * {@code Chunker.PIPELINE_MIN_SIZE}, so the file is chunked on two threads as a big file is.
 */
class EditLocalityTest {
    private static final int SEEDS = 20;
    private static final long SIZE = 64L << 20;
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void editsCostLittleOnTheWire() throws Exception {
        try (SimCluster c = new SimCluster(tmp, 2, 4, SimCluster.fastConfig("locality")).formGroup()) {
            Path a = c.folders.get(0);
            Path b = c.folders.get(1);
            for (int s = 1; s <= SEEDS; s++) {
                final int seed = s;
                SplittableRandom rnd = new SplittableRandom(seed);
                Path file = a.resolve("big-" + seed + ".bin");
                c.handle(0).withFolderLock(() -> {
                    writeRandom(file, SIZE, rnd.split());
                    return null;
                });
                syncAndWait(c, a, b);

                long before = c.engines.get(0).stats().chunkBytesServed.sum();
                long offset = SIZE / 2 - MIB / 2 + rnd.nextInt(-MIB, MIB);
                c.handle(0).withFolderLock(() -> {
                    overwrite(file, offset, MIB, rnd.split());
                    return null;
                });
                syncAndWait(c, a, b);
                long edit = c.engines.get(0).stats().chunkBytesServed.sum() - before;
                assertThat(edit).as("seed %d: bytes sent for a 1 MiB edit at %d", seed, offset)
                        .isPositive().isLessThanOrEqualTo(MIB + 2L * ChunkingParams.MAX_SIZE);

                before = c.engines.get(0).stats().chunkBytesServed.sum();
                c.handle(0).withFolderLock(() -> {
                    insertByteAtStart(file, tmp.resolve("insert.tmp"), (byte) seed);
                    return null;
                });
                syncAndWait(c, a, b);
                long insert = c.engines.get(0).stats().chunkBytesServed.sum() - before;
                assertThat(insert).as("seed %d: bytes sent for a one-byte insert at the start", seed)
                        .isPositive().isLessThanOrEqualTo(2L * ChunkingParams.MAX_SIZE);
                System.out.printf("edit-locality seed=%d edit_bytes=%d insert_bytes=%d%n", seed, edit, insert);

                c.handle(0).withFolderLock(() -> Files.deleteIfExists(file));
                syncAndWait(c, a, b);
            }
        }
    }

    private static void syncAndWait(SimCluster c, Path a, Path b) throws Exception {
        c.handle(0).scan().get(60, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> c.handle(1).status().idle() && c.handle(0).status().idle()
                        && Manifest.of(a).equals(Manifest.of(b)));
    }

    static void writeRandom(Path file, long size, SplittableRandom rnd) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(4 * MIB);
            for (long done = 0; done < size; ) {
                buf.clear();
                int n = (int) Math.min(buf.capacity(), size - done);
                while (buf.position() + 8 <= n) {
                    buf.putLong(rnd.nextLong());
                }
                while (buf.position() < n) {
                    buf.put((byte) rnd.nextInt());
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    done += ch.write(buf);
                }
            }
        }
    }

    private static void overwrite(Path file, long offset, int len, SplittableRandom rnd) throws IOException {
        byte[] data = new byte[len];
        rnd.nextBytes(data);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
        }
    }

    private static void insertByteAtStart(Path file, Path scratch, byte b) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(scratch, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(new byte[] {b}));
            long pos = 0;
            long size = in.size();
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, out);
            }
        }
        Files.move(scratch, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
