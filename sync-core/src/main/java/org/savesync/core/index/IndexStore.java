package org.savesync.core.index;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * One group's index. Only the newest entry of each (author, path) is kept: storing a newer
 * one replaces it (compaction), so a resync costs what changed, not what ever happened.
 * The engine calls a store from one thread at a time; implementations need not lock, but
 * {@link #store} must be atomic (a crash keeps all of it or none).
 */
public interface IndexStore {

    Optional<GroupInfo> info();

    void saveInfo(GroupInfo info);

    KnowledgeVector knowledge();

    /**
     * Atomically stores entries (each replacing an older entry of the same author and path,
     * and ignored when an entry with a higher seq is already held for that author and path)
     * and raises the knowledge vector to at least the given marks.
     */
    void store(List<SignedEntry> entries, Map<NodeId, Long> knowledge);

    Optional<SignedEntry> entry(NodeId author, SafePath path);

    Optional<SignedEntry> entryBySeq(NodeId author, long seq);

    /** The newest entry of every author for the path. */
    List<SignedEntry> entriesForPath(SafePath path);

    /** Entries of {@code author} with seq greater than {@code afterSeq}, ascending, at most {@code limit}. */
    List<SignedEntry> entriesAfter(NodeId author, long afterSeq, int limit);

    /** Every path that has at least one entry. */
    Collection<SafePath> paths();

    Optional<LocalRecord> local(SafePath path);

    void putLocal(LocalRecord record);

    void removeLocal(SafePath path);

    Collection<LocalRecord> locals();

    void putChunkList(BlobId blob, List<ChunkRef> chunks);

    Optional<List<ChunkRef>> chunkList(BlobId blob);
}
