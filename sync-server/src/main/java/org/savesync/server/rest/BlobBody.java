package org.savesync.server.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.replication.Entry;
import org.savesync.server.persistence.BlobReader;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;

/** The bytes of a FILE entry's blob as an HTTP body ({@link BlobReader}). */
final class BlobBody {
    private BlobBody() {
    }

    /**
     * 200 with the bytes of {@code e}'s blob; 409 when the hub does not hold all of it; 500 when
     * a chunk of a complete blob is missing. {@code what} names the file in messages.
     */
    static Response response(PgIndexStore store, CatalogedChunkStore chunks, Entry e, String what) {
        List<ChunkRef> list;
        try {
            list = BlobReader.chunks(store, chunks, e.blob(), what);
        } catch (BlobReader.Unreadable u) {
            throw u.damaged() ? ApiProblem.damaged(u.getMessage()) : ApiProblem.incomplete(u.getMessage());
        }
        // Headers are sent once the body starts: failing the stream is the only way to tell the client then.
        StreamingOutput body = out -> BlobReader.copy(list, chunks, what, out::write);
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).header("Content-Length", e.size()).build();
    }
}
