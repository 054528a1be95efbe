package org.savesync.core.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;

/**
 * Answers peers' chunk-list and chunk requests from the files in the folder (no second copy
 * on disk). Every chunk read is hashed before it is sent: a file that changed since it was
 * indexed answers "not found" and triggers a rescan instead of sending wrong bytes.
 */
public final class ChunkServer {
    private final TransferHost h;

    public ChunkServer(TransferHost host) {
        this.h = host;
    }

    public void serveChunkList(Link link, Message.BlobRequest req) {
        Optional<List<ChunkRef>> list = h.store().chunkList(req.blob());
        if (list.isEmpty() || req.firstChunk() > list.get().size()) {
            link.send(new Message.BlobChunks(req.requestId(), req.blob(), false, req.firstChunk(), 0, List.of()));
            return;
        }
        List<ChunkRef> all = list.get();
        int end = Math.min(all.size(), req.firstChunk() + Protocol.MAX_CHUNKS_PER_PAGE);
        link.send(new Message.BlobChunks(req.requestId(), req.blob(), true, req.firstChunk(), all.size(),
                List.copyOf(all.subList(req.firstChunk(), end))));
    }

    /** Reads (I/O thread) and sends one chunk; completes once the transport took the answer. */
    public java.util.concurrent.CompletableFuture<Void> serveChunk(Link link, Message.ChunkRequest req) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        List<ChunkIndex.Location> locations = h.chunkIndex().find(req.hash());
        if (locations.isEmpty()) {
            link.send(new Message.ChunkData(req.requestId(), req.hash(), null));
            done.complete(null);
            return done;
        }
        h.io().execute(() -> {
            boolean stale = false;
            for (ChunkIndex.Location loc : locations) {
                byte[] data = readLocal(h.root(), loc);
                if (data != null && req.hash().matches(data, 0, data.length)) {
                    link.sendBulk(new Message.ChunkData(req.requestId(), req.hash(), data)).whenComplete((v, e) -> {
                        if (e == null) {
                            h.stats().chunkBytesServed.add(data.length);
                            h.stats().chunksServed.increment();
                        }
                        done.complete(null);
                    });
                    if (stale) {
                        h.engineThread().execute(h::requestScan);
                    }
                    return;
                }
                stale = true;
            }
            link.send(new Message.ChunkData(req.requestId(), req.hash(), null));
            done.complete(null);
            h.engineThread().execute(h::requestScan);
        });
        return done;
    }

    /** I/O thread: the bytes at {@code loc} in the folder at {@code root}; null when they cannot be read (not hashed). */
    static byte[] readLocal(Path root, ChunkIndex.Location loc) {
        try (FileChannel ch = FileChannel.open(loc.path().resolveIn(root), StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            return readFully(ch, loc.offset(), loc.length());
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] readFully(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, offset + buf.position());
            if (n < 0) {
                return null;
            }
        }
        return buf.array();
    }
}
