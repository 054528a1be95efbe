package org.savesync.core.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.savesync.core.chunking.ChunkingParams.MAX_SIZE;
import static org.savesync.core.chunking.FastCdcTest.random;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.savesync.core.testsupport.Seeded;

class ChunkerTest {

    @TempDir
    Path dir;

    /** Both streaming chunkers, fed in arbitrary short reads through small buffers. */
    @TestFactory
    Stream<DynamicTest> streamedChunksConcatenateBackAndMatchTheCutter() {
        return Seeded.tries(20, g -> streamedChunksConcatenateBackAndMatchTheCutter(g.intBetween(0, 4 * MAX_SIZE),
                g.intBetween(0, MAX_SIZE), g.intBetween(1, 3 * MAX_SIZE), g.anyLong()));
    }

    private static void streamedChunksConcatenateBackAndMatchTheCutter(int size, int bufferExtra, int initialBuffer,
                                                                       long seed) throws IOException {
        byte[] data = random(seed, size);
        List<Integer> expected = cutterLengths(data);

        Recorder serial = new Recorder(size);
        Chunker.chunk(new ChoppyChannel(data, seed), serial, initialBuffer, MAX_SIZE + bufferExtra);
        assertThat(serial.joined.toByteArray()).isEqualTo(data);
        assertThat(serial.chunks).extracting(ChunkRef::length).containsExactlyElementsOf(expected);

        Recorder piped = new Recorder(size);
        PipelinedChunker.chunk(new ChoppyChannel(data, seed), piped, MAX_SIZE + bufferExtra);
        assertThat(piped.joined.toByteArray()).isEqualTo(data);
        assertThat(piped.chunks).isEqualTo(serial.chunks).isEqualTo(Chunker.chunk(data).chunks());
    }

    @Test
    void fileChunkerAgreesWithInMemoryCutter() throws IOException {
        // Larger than the read buffers, so tails are carried over; large enough for two threads.
        byte[] data = random(7, 2 * Chunker.BUFFER_SIZE + 12345);
        assertThat((long) data.length).isGreaterThan(Chunker.PIPELINE_MIN_SIZE);
        Path file = Files.write(dir.resolve("f.bin"), data);

        FileChunks fc = Chunker.chunkFile(file);

        assertThat(fc.size()).isEqualTo(data.length);
        assertThat(fc.chunks()).extracting(ChunkRef::length).containsExactlyElementsOf(cutterLengths(data));
        assertThat(fc).isEqualTo(Chunker.chunk(data));
        assertThat(fc.blobId()).isEqualTo(BlobId.of(fc.chunks()));
        int pos = 0;
        for (ChunkRef c : fc.chunks()) {
            assertThat(c.hash().matches(data, pos, c.length())).isTrue();
            pos += c.length();
        }
    }

    @Test
    void smallFileAgreesWithInMemoryCutter() throws IOException {
        byte[] data = random(9, 3 * MAX_SIZE + 17);
        assertThat(Chunker.chunkFile(Files.write(dir.resolve("small.bin"), data))).isEqualTo(Chunker.chunk(data));
    }

    @Test
    void emptyFileIsTheEmptyBlob() throws IOException {
        FileChunks fc = Chunker.chunkFile(Files.createFile(dir.resolve("empty")));
        assertThat(fc.size()).isZero();
        assertThat(fc.chunks()).isEmpty();
        assertThat(fc.blobId()).isEqualTo(BlobId.EMPTY);
        assertThat(fc).isEqualTo(FileChunks.EMPTY);
    }

    @Test
    void symbolicLinkIsRefusedNotFollowed() throws IOException {
        Path target = Files.write(dir.resolve("target"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> Chunker.chunkFile(link))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void directoryIsRefused() {
        assertThatThrownBy(() -> Chunker.chunkFile(dir))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void sinkFailureStopsChunking() {
        byte[] data = random(3, 3 * MAX_SIZE);
        int[] calls = {0};
        assertThatThrownBy(() -> Chunker.chunk(Channels.newChannel(new java.io.ByteArrayInputStream(data)),
                (offset, buf, off, len, hash) -> {
                    calls[0]++;
                    throw new IOException("disk full");
                })).hasMessage("disk full");
        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void pipelineStopsItsReaderWhenTheSinkFails() {
        byte[] data = random(4, 20 * MAX_SIZE);
        assertThatThrownBy(() -> PipelinedChunker.chunk(new ChoppyChannel(data, 4),
                (offset, buf, off, len, hash) -> {
                    throw new IOException("disk full");
                }, 2 * MAX_SIZE)).hasMessage("disk full");
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void pipelineReportsAReadFailure() {
        ReadableByteChannel failing = new ChoppyChannel(random(5, 10 * MAX_SIZE), 5) {
            private int reads;

            @Override
            public int read(ByteBuffer dst) {
                if (++reads == 20) {
                    throw new java.io.UncheckedIOException(new IOException("disk read error"));
                }
                return super.read(dst);
            }
        };
        assertThatThrownBy(() -> PipelinedChunker.chunk(failing, (offset, buf, off, len, hash) -> { }, 2 * MAX_SIZE))
                .hasRootCauseMessage("disk read error");
        assertThat(readerThreads()).isEmpty();
    }

    private static List<Thread> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("savesync-chunk-reader")).toList();
    }

    @Test
    void nonBlockingChannelIsRefused() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel ignored = pipe.sink()) {
            source.configureBlocking(false);
            assertThatThrownBy(() -> Chunker.chunk(source)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void fileChunksChecksItsParts() {
        ChunkRef c = new ChunkRef(3, ChunkHash.compute(new byte[] {1, 2, 3}));
        assertThat(FileChunks.of(List.of(c)).size()).isEqualTo(3);
        assertThatThrownBy(() -> new FileChunks(4, List.of(c), BlobId.of(List.of(c))))
                .hasMessageContaining("size 4");
        assertThatThrownBy(() -> new FileChunks(3, List.of(c), BlobId.EMPTY))
                .hasMessageContaining("is not the id");
    }

    static List<Integer> cutterLengths(byte[] data) {
        List<Integer> lengths = new ArrayList<>();
        for (int pos = 0; pos < data.length; ) {
            int len = FastCdc.cut(data, pos, data.length - pos);
            lengths.add(len);
            pos += len;
        }
        return lengths;
    }

    /** Checks offsets and hashes as chunks arrive and keeps what it saw. */
    private static final class Recorder implements ChunkSink {
        final ByteArrayOutputStream joined;
        final List<ChunkRef> chunks = new ArrayList<>();
        private long next;

        Recorder(int size) {
            joined = new ByteArrayOutputStream(size);
        }

        @Override
        public void onChunk(long offset, byte[] buf, int off, int len, ChunkHash hash) {
            assertThat(offset).isEqualTo(next);
            assertThat(hash.matches(buf, off, len)).isTrue();
            joined.write(buf, off, len);
            chunks.add(new ChunkRef(len, hash));
            next += len;
        }
    }

    /** Yields its data in reads of random, often tiny, sizes, as a socket might. */
    private static class ChoppyChannel implements ReadableByteChannel {
        private final byte[] data;
        private final SplittableRandom rnd;
        private int pos;

        ChoppyChannel(byte[] data, long seed) {
            this.data = data;
            this.rnd = new SplittableRandom(~seed);
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == data.length) {
                return -1;
            }
            int max = rnd.nextBoolean() ? 100 : 700_000;
            int n = Math.min(Math.min(dst.remaining(), data.length - pos), 1 + rnd.nextInt(max));
            dst.put(data, pos, n);
            pos += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
