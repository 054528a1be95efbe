package org.savesync.core.index;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * The read side of a write-through store: a database-backed {@link IndexStore} loads its
 * group into {@link #memory} when it opens, and every read is answered from there (the engine
 * asks many times per received entry, from its own thread). Subclasses write each mutation to
 * their database first and apply it to {@link #memory} only once it is committed, so the
 * in-memory {@link InMemoryIndexStore}, the reference store, defines what reads return.
 */
public abstract class CachedIndexStore implements IndexStore {
    /** Holds exactly what the database holds (the current rows); written only after a commit. */
    protected final InMemoryIndexStore memory = new InMemoryIndexStore();

    @Override
    public Optional<GroupInfo> info() {
        return memory.info();
    }

    @Override
    public KnowledgeVector knowledge() {
        return memory.knowledge();
    }

    @Override
    public Optional<SignedEntry> entry(NodeId author, SafePath path) {
        return memory.entry(author, path);
    }

    @Override
    public Optional<SignedEntry> entryBySeq(NodeId author, long seq) {
        return memory.entryBySeq(author, seq);
    }

    @Override
    public List<SignedEntry> entriesForPath(SafePath path) {
        return memory.entriesForPath(path);
    }

    @Override
    public List<SignedEntry> entriesAfter(NodeId author, long afterSeq, int limit) {
        return memory.entriesAfter(author, afterSeq, limit);
    }

    @Override
    public Collection<SafePath> paths() {
        return memory.paths();
    }

    @Override
    public Optional<LocalRecord> local(SafePath path) {
        return memory.local(path);
    }

    @Override
    public Collection<LocalRecord> locals() {
        return memory.locals();
    }

    @Override
    public Optional<List<ChunkRef>> chunkList(BlobId blob) {
        return memory.chunkList(blob);
    }
}
