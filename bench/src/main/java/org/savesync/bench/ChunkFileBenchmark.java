package org.savesync.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.savesync.core.chunking.Chunker;
import org.savesync.core.chunking.FileChunks;

/**
 * {@link Chunker#chunkFile} over a file in a temporary directory. The file is read once in
 * set-up, so this measures a page-cache-warm scan (a rescan of an unchanged folder), not the disk.
 * At 256 MiB {@code chunkFile} uses its two-thread pipeline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ChunkFileBenchmark {
    @Param("256")
    public int sizeMiB;

    private Path dir;
    private Path file;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("savesync-bench-");
        file = dir.resolve("random.bin");
        SplittableRandom rnd = new SplittableRandom(2);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < sizeMiB; i++) {
                rnd.nextBytes(block);
                out.write(block);
            }
        }
        Chunker.chunkFile(file);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public FileChunks chunkFile() throws IOException {
        return Chunker.chunkFile(file);
    }

    /** The same file through the public one-thread path, to show what the second thread buys. */
    @Benchmark
    public FileChunks chunkFileOneThread() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Chunker.chunk(ch);
        }
    }
}
