package org.savesync.core.chunking;

import java.io.IOException;

/**
 * Receives each chunk while its bytes are still in memory, so a caller can store, send or
 * compare them without reading the file a second time.
 */
@FunctionalInterface
public interface ChunkSink {
    /**
     * Called once per chunk, in order.
     *
     * @param offset where the chunk starts in the input
     * @param buf    holds the chunk's bytes at {@code [off, off+len)}; valid only during
     *               this call (the chunker reuses the buffer) and must not be modified
     * @param hash   the chunk's SHA-256, already computed
     * @throws IOException to stop chunking; it propagates to the chunker's caller
     */
    void onChunk(long offset, byte[] buf, int off, int len, ChunkHash hash) throws IOException;
}
