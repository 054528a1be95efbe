package org.savesync.core.chunking;

/** One chunk of a file: its length in bytes and its id. */
public record ChunkRef(int length, ChunkHash hash) {
    public ChunkRef {
        if (length <= 0 || length > ChunkingParams.MAX_SIZE) {
            throw new IllegalArgumentException("chunk length " + length + " outside 1.." + ChunkingParams.MAX_SIZE);
        }
        if (hash == null) {
            throw new IllegalArgumentException("chunk hash missing");
        }
    }
}
