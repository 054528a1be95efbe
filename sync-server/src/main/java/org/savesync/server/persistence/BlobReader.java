package org.savesync.server.persistence;

import java.io.IOException;
import java.util.List;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;

/**
 * Reads a blob the hub holds out of its chunk store, chunk by chunk, each verified against its
 * hash before it is handed on: for the admin APIs' downloads of current files and of kept
 * versions.
 */
public final class BlobReader {
    private BlobReader() {
    }

    /** Why a blob cannot be read: not all of it fetched yet, or a chunk of a complete blob gone (damage). */
    public static final class Unreadable extends RuntimeException {
        private final boolean damaged;

        Unreadable(String message, boolean damaged) {
            super(message);
            this.damaged = damaged;
        }

        /** True when the blob is marked complete but a chunk is missing (the replica is damaged). */
        public boolean damaged() {
            return damaged;
        }
    }

    /** What receives the bytes, a verified chunk at a time. */
    public interface Sink {
        void write(byte[] chunk) throws IOException;
    }

    /**
     * The chunks of {@code blob}, once every one is in the store; {@code what} names the file in
     * messages.
     *
     * @throws Unreadable when the hub does not hold all of it, or a chunk of it is missing
     */
    public static List<ChunkRef> chunks(PgIndexStore store, CatalogedChunkStore chunks, BlobId blob, String what) {
        if (!store.isComplete(blob)) {
            throw new Unreadable("the hub does not hold all chunks of " + what + " (blob " + blob.shortString()
                    + "); try again once it has fetched them", false);
        }
        List<ChunkRef> list = store.chunkList(blob).orElse(List.of());
        for (ChunkRef c : list) {
            if (!chunks.contains(c.hash())) {
                throw new Unreadable("chunk " + c.hash() + " of " + what + " is missing from the chunk store although"
                        + " the file is marked complete; GET /api/v1/check reports the damage", true);
            }
        }
        return list;
    }

    /** Hands each chunk of {@code list} to {@code sink} in order, after checking its length and hash. */
    public static void copy(List<ChunkRef> list, CatalogedChunkStore chunks, String what, Sink sink) throws IOException {
        for (ChunkRef c : list) {
            byte[] bytes = chunks.get(c.hash()).orElseThrow(() -> new IOException("chunk " + c.hash() + " of " + what
                    + " vanished while it was being sent"));
            if (bytes.length != c.length() || !c.hash().matches(bytes, 0, bytes.length)) {
                throw new IOException("chunk " + c.hash() + " of " + what + " does not verify; the replica is damaged,"
                        + " GET /api/v1/check reports it");
            }
            sink.write(bytes);
        }
    }
}
