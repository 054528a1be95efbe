package org.savesync.bench;

import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.savesync.core.chunking.Chunker;
import org.savesync.core.chunking.FastCdc;
import org.savesync.core.chunking.FileChunks;

/**
 * Chunking an in-memory buffer: cut points alone, SHA-256 alone, and both as
 * {@link Chunker#chunk(byte[])} does them. One operation is one pass over {@code sizeMiB};
 * run-jmh.sh turns ops/s into MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChunkingBenchmark {
    @Param("64")
    public int sizeMiB;

    private byte[] data;

    @Setup
    public void setUp() {
        data = new byte[sizeMiB << 20];
        // Random bytes: no structure for the hash to exploit, the chunker's worst case.
        new SplittableRandom(1).nextBytes(data);
    }

    @Benchmark
    public FileChunks chunkAndHash() {
        return Chunker.chunk(data);
    }

    @Benchmark
    public int cutOnly() {
        int chunks = 0;
        for (int pos = 0; pos < data.length; chunks++) {
            pos += FastCdc.cut(data, pos, data.length - pos);
        }
        return chunks;
    }

    @Benchmark
    public byte[] sha256Only() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(data);
        return md.digest();
    }
}
