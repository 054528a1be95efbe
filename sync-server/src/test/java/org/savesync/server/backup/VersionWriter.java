package org.savesync.server.backup;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.replication.VersionVector;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;

/**
 * Writes versions into a group of the hub as the engine stores what a member sends: signed
 * entries of one author, a batch per call, each file of one chunk of {@value #CHUNK} bytes put
 * in the chunk store with its chunk list, complete. A version's bytes follow from its seq and
 * path ({@link #bytesOf}), so tests can say what any version must restore to.
 */
final class VersionWriter {
    static final int CHUNK = 1000;

    private final GroupId group;
    private final NodeKey author;
    private final PgIndexStore store;
    private final CatalogedChunkStore chunks;
    private long seq;

    VersionWriter(GroupId group, NodeKey author, PgIndexStore store, CatalogedChunkStore chunks) {
        this.group = group;
        this.author = author;
        this.store = store;
        this.chunks = chunks;
    }

    /** A new version of each path, in one batch. */
    List<SignedEntry> write(List<String> paths) throws Exception {
        List<SignedEntry> batch = new ArrayList<>();
        List<BlobId> blobs = new ArrayList<>();
        List<List<ChunkRef>> lists = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> stored = new ArrayList<>();
        for (String path : paths) {
            long s = ++seq;
            byte[] data = bytesOf(s, path);
            ChunkHash hash = ChunkHash.compute(data);
            stored.add(chunks.putAsync(hash, data).toCompletableFuture());
            List<ChunkRef> list = List.of(new ChunkRef(CHUNK, hash));
            BlobId blob = BlobId.of(list);
            batch.add(SignedEntry.sign(Entry.file(group, author.nodeId(), s, SafePath.of(path), blob, CHUNK,
                    1_000_000L * s, false, 1_700_000_000_000L + s, VersionVector.of(Map.of(author.nodeId(), s))), author));
            blobs.add(blob);
            lists.add(list);
        }
        stored.forEach(java.util.concurrent.CompletableFuture::join); // chunks durable before their blob is complete
        store.store(batch, Map.of(author.nodeId(), seq));
        for (int i = 0; i < blobs.size(); i++) {
            store.putChunkList(blobs.get(i), lists.get(i));
            store.markComplete(blobs.get(i));
        }
        return batch;
    }

    /** A new version of {@code path}. */
    SignedEntry write(String path) throws Exception {
        return write(List.of(path)).getFirst();
    }

    /** Deletions of each path, in one batch. */
    List<SignedEntry> delete(List<String> paths) {
        List<SignedEntry> batch = new ArrayList<>();
        for (String path : paths) {
            long s = ++seq;
            batch.add(SignedEntry.sign(Entry.deleted(group, author.nodeId(), s, SafePath.of(path),
                    1_700_000_000_000L + s, VersionVector.of(Map.of(author.nodeId(), s))), author));
        }
        store.store(batch, Map.of(author.nodeId(), seq));
        return batch;
    }

    SignedEntry delete(String path) {
        return delete(List.of(path)).getFirst();
    }

    /** The bytes of the version written under {@code seq} at {@code path}. */
    static byte[] bytesOf(long seq, String path) {
        return Arrays.copyOf(("v" + seq + " " + path + " ").repeat(CHUNK).getBytes(StandardCharsets.UTF_8), CHUNK);
    }

    /** The bytes of a written version. */
    static byte[] bytesOf(SignedEntry e) {
        return bytesOf(e.entry().seq(), e.entry().path().toString());
    }

    /** The one chunk of a written version. */
    static ChunkHash chunkOf(SignedEntry e) {
        return ChunkHash.compute(bytesOf(e));
    }

    /** The bytes of a version over REST ({@code .../versions/content}); null when the hub answers 404. */
    static byte[] content(GroupId group, String version) {
        var r = given().queryParam("version", version).get("/api/v1/groups/" + group + "/versions/content");
        return r.statusCode() == 404 ? null : r.then().statusCode(200).extract().asByteArray();
    }

    static byte[] content(GroupId group, SignedEntry e) {
        return content(group, e.entry().author() + ":" + e.entry().seq());
    }
}
