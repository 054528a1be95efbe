package org.savesync.server.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.List;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.replication.Entry;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;

/** The bytes of a FILE entry's blob as an HTTP body, read from the chunk store and verified chunk by chunk. */
final class BlobBody {
    private BlobBody() {
    }

    /**
     * 200 with the bytes of {@code e}'s blob; 409 when the hub does not hold all of it; 500 when
     * a chunk of a complete blob is missing. {@code what} names the file in messages.
     */
    static Response response(PgIndexStore store, CatalogedChunkStore chunks, Entry e, String what) {
        if (!store.isComplete(e.blob())) {
            throw ApiProblem.incomplete("the hub does not hold all chunks of " + what + " (blob "
                    + e.blob().shortString() + "); try again once it has fetched them");
        }
        List<ChunkRef> list = store.chunkList(e.blob()).orElse(List.of());
        for (ChunkRef c : list) {
            if (!chunks.contains(c.hash())) {
                throw ApiProblem.damaged("chunk " + c.hash() + " of " + what + " is missing from the chunk store"
                        + " although the file is marked complete; GET /api/v1/check reports the damage");
            }
        }
        StreamingOutput body = out -> {
            for (ChunkRef c : list) {
                byte[] bytes = chunks.get(c.hash()).orElseThrow(() -> new IOException("chunk " + c.hash() + " of "
                        + what + " vanished while it was being sent"));
                if (bytes.length != c.length() || !c.hash().matches(bytes, 0, bytes.length)) {
                    // Headers are sent: failing the stream is the only way to tell the client.
                    throw new IOException("chunk " + c.hash() + " of " + what + " does not verify; the replica"
                            + " is damaged, GET /api/v1/check reports it");
                }
                out.write(bytes);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).header("Content-Length", e.size()).build();
    }
}
