package org.savesync.core.chunking;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;
import static org.savesync.core.chunking.ChunkingParams.MAX_SIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts files and streams into chunks ({@link FastCdc}) and hashes each one (SHA-256),
 * reading the input once.
 * <p>
 * Limits: one reusable buffer of at most {@value #BUFFER_SIZE} bytes per call (a small file
 * gets a buffer of its own size). The chunker cuts only while it holds at least
 * {@link ChunkingParams#MAX_SIZE} bytes or the end of the input, so the chunks never depend
 * on how the input arrived in reads. Each read asks for at most {@value #MAX_READ} bytes,
 * which bounds the temporary direct buffer the JDK caches per thread for reads into heap arrays.
 * <p>
 * Files of {@value #PIPELINE_MIN_SIZE} bytes or more are chunked on two threads when the JVM
 * has two processors ({@link PipelinedChunker}): on the 2-core bench machine that scanned a
 * page-cache-warm file about 1.7× faster with the second core idle, and somewhat slower with
 * both cores busy; see bench/RESULTS.md.
 */
public final class Chunker {
    /** The read buffer of the one-thread chunker: several maximum-size chunks, so refills are rare. */
    static final int BUFFER_SIZE = 8 << 20;
    static final int MAX_READ = 1 << 20;
    /** Below this a second thread costs more to start and feed than it saves. */
    static final long PIPELINE_MIN_SIZE = 16 << 20;
    /** Each of the pipeline's three buffers; 4 MiB measured best of 2, 4 and 8. */
    static final int PIPELINE_BUFFER_SIZE = 4 << 20;

    private Chunker() {
    }

    /**
     * Chunks a regular file. A symbolic link is refused, not followed (it is opened with
     * {@code NOFOLLOW_LINKS}, so a link swapped in after the check is refused too): a synced
     * folder must never leak the content of a file outside it.
     * <p>
     * The result describes the bytes read; if another process writes the file meanwhile, it
     * may match neither version, so a scanner should compare size and mtime before and after.
     *
     * @throws FileSystemException if {@code file} is a symbolic link or not a regular file
     * @throws IOException         if it cannot be read
     */
    public static FileChunks chunkFile(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink()) {
            throw new FileSystemException(file.toString(), null,
                    "is a symbolic link; SaveSync does not follow links, sync the target's own folder instead");
        }
        if (!attrs.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "is not a regular file; only regular files are chunked");
        }
        List<ChunkRef> refs = new ArrayList<>();
        ChunkSink collect = (offset, buf, off, len, hash) -> refs.add(new ChunkRef(len, hash));
        try (FileChannel ch = FileChannel.open(file, READ, NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size >= PIPELINE_MIN_SIZE && Runtime.getRuntime().availableProcessors() > 1) {
                PipelinedChunker.chunk(ch, collect, PIPELINE_BUFFER_SIZE);
            } else {
                // +1 so the end of the file shows without growing the buffer.
                chunk(ch, collect, (int) Math.min(size + 1, BUFFER_SIZE), BUFFER_SIZE);
            }
        }
        return FileChunks.of(refs);
    }

    /** Chunks everything {@code in} yields until its end, and returns the chunk list. */
    public static FileChunks chunk(ReadableByteChannel in) throws IOException {
        List<ChunkRef> refs = new ArrayList<>();
        chunk(in, (offset, buf, off, len, hash) -> refs.add(new ChunkRef(len, hash)));
        return FileChunks.of(refs);
    }

    /** Chunks an array held in memory. */
    public static FileChunks chunk(byte[] data) {
        MessageDigest md = ChunkHash.sha256();
        List<ChunkRef> refs = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int len = FastCdc.cut(data, pos, data.length - pos);
            md.update(data, pos, len);
            refs.add(new ChunkRef(len, ChunkHash.wrap(md.digest())));
            pos += len;
        }
        return FileChunks.of(refs);
    }

    /**
     * Chunks everything {@code in} yields until its end, handing each chunk to {@code sink}
     * in order, on the calling thread. Does not close {@code in}, which must be a blocking channel.
     */
    public static void chunk(ReadableByteChannel in, ChunkSink sink) throws IOException {
        chunk(in, sink, BUFFER_SIZE, BUFFER_SIZE);
    }

    /**
     * The one-thread chunker. The buffer starts at {@code initialSize} and grows to
     * {@code maxSize} only if the input turns out longer than that (a file that grew).
     */
    static void chunk(ReadableByteChannel in, ChunkSink sink, int initialSize, int maxSize) throws IOException {
        if (maxSize < MAX_SIZE) {
            throw new IllegalArgumentException("buffer of " + maxSize + " bytes cannot hold a " + MAX_SIZE + "-byte chunk");
        }
        if (in instanceof SelectableChannel sc && !sc.isBlocking()) {
            // A non-blocking channel answers 0 bytes when idle; the fill loop would spin.
            throw new IllegalArgumentException("the chunker reads blocking channels only; " + in + " is non-blocking");
        }
        MessageDigest md = ChunkHash.sha256();
        byte[] scratch = SCRATCH.get();
        int wanted = Math.max(1, Math.min(initialSize, maxSize));
        boolean reuse = scratch != null && scratch.length >= wanted && scratch.length <= maxSize;
        SCRATCH.set(null); // taken while in use, so a sink that chunks again gets its own
        try {
            chunkInto(in, sink, reuse ? scratch : new byte[wanted], maxSize, md);
        } finally {
            SCRATCH.set(scratch != null ? scratch : new byte[BUFFER_SIZE]);
        }
    }

    /**
     * One read buffer per thread, reused from file to file: hashing a thousand 1 MiB files
     * otherwise allocates a gigabyte of short-lived buffers, which the JVM answers by growing
     * its heap (and the agent's resident memory) instead of collecting them.
     */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    private static void chunkInto(ReadableByteChannel in, ChunkSink sink, byte[] buf, int maxSize, MessageDigest md)
            throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf);
        int start = 0;
        int end = 0;
        long offset = 0;
        boolean eof = false;
        while (true) {
            // Cut only what cannot change with more input: a full MAX_SIZE window, or the tail.
            while (end - start >= MAX_SIZE || (eof && end > start)) {
                int len = FastCdc.cut(buf, start, end - start);
                md.update(buf, start, len);
                sink.onChunk(offset, buf, start, len, ChunkHash.wrap(md.digest()));
                start += len;
                offset += len;
            }
            if (eof) {
                return;
            }
            // Carry the unchunked tail (< MAX_SIZE bytes) to the front, then fill the rest.
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
            if (end == buf.length) {
                // Full yet shorter than MAX_SIZE: only a small first buffer gets here.
                buf = Arrays.copyOf(buf, maxSize);
                bb = ByteBuffer.wrap(buf);
            }
            while (end < buf.length) {
                bb.limit(Math.min(buf.length, end + MAX_READ)).position(end);
                int n = in.read(bb);
                if (n < 0) {
                    eof = true;
                    break;
                }
                end += n;
            }
        }
    }
}
