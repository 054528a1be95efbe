package org.savesync.core.chunking;

import java.util.List;

/**
 * The content of one file as the protocol sees it: its size, its chunks in file order and
 * its blob id. The empty file has size 0, no chunks and {@link BlobId#EMPTY}.
 */
public record FileChunks(long size, List<ChunkRef> chunks, BlobId blobId) {
    /** The empty file's content. */
    public static final FileChunks EMPTY = of(List.of());

    /**
     * Checks that the three parts agree; a {@code FileChunks} whose blob id does not name
     * its chunk list would let a peer advertise content it cannot serve.
     */
    public FileChunks {
        chunks = List.copyOf(chunks);
        long sum = 0;
        for (ChunkRef c : chunks) {
            sum += c.length();
        }
        if (sum != size) {
            throw new IllegalArgumentException("size " + size + " but the chunks add up to " + sum);
        }
        if (!BlobId.of(chunks).equals(blobId)) {
            throw new IllegalArgumentException("blob id " + blobId + " is not the id of these " + chunks.size() + " chunks");
        }
    }

    /** The size and blob id that follow from {@code chunks}. */
    public static FileChunks of(List<ChunkRef> chunks) {
        long size = 0;
        for (ChunkRef c : chunks) {
            size += c.length();
        }
        return new FileChunks(size, chunks, BlobId.of(chunks));
    }
}
