package org.savesync.server.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.index.RecordCodec;

/** Every chunk list of every group ({@code chunk_lists}), read as a stream: the whole table never sits in memory. */
public final class ChunkListRows {
    private ChunkListRows() {
    }

    /** Calls {@code action} with each stored chunk list and whether its blob is complete, in no particular order. */
    public static void forEach(BiConsumer<List<ChunkRef>, Boolean> action) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Stream<Object[]> rows = Panache.getEntityManager()
                        .createQuery("select c.chunks, c.complete from ChunkListEntity c", Object[].class)
                        .getResultStream()) {
                    rows.forEach(r -> action.accept(RecordCodec.decodeChunks((byte[]) r[0]), (Boolean) r[1]));
                }
            });
        } catch (RuntimeException e) {
            throw HubStorageException.databaseFailure(null, "read chunk lists", e);
        }
    }
}
