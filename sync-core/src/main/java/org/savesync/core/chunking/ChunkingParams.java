package org.savesync.core.chunking;

/**
 * Chunking parameters. These are protocol constants: changing any of them changes every
 * chunk and blob id, so two peers with different values would share nothing.
 */
public final class ChunkingParams {
    /** No cut point is taken before this many bytes (except at the end of the file). */
    public static final int MIN_SIZE = 64 * 1024;
    /** The size the cut-point masks aim at. */
    public static final int AVG_SIZE = 256 * 1024;
    /** A chunk is cut here at the latest: 4 × the average. */
    public static final int MAX_SIZE = 1024 * 1024;

    private ChunkingParams() {
    }
}
