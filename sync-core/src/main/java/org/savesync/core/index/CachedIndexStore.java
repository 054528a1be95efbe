package org.savesync.core.index;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.Entry;
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

    /** An (author, path) pair: where a store keeps one entry. */
    protected record AuthorPath(NodeId author, SafePath path) {
    }

    /**
     * What {@code store(entries, marks)} would change, worked out before anything is written.
     *
     * @param accepted per (author, path) the entry that replaces what is held (the highest seq above it)
     * @param raised   the knowledge marks that go up
     * @param before   the knowledge vector before
     */
    protected record StoreDelta(Map<AuthorPath, SignedEntry> accepted, Map<NodeId, Long> raised, KnowledgeVector before) {
        public boolean isEmpty() {
            return accepted.isEmpty() && raised.isEmpty();
        }
    }

    /**
     * The change {@link #store} makes, as the reference store would make it; throws, before
     * anything is written, on marks the knowledge vector refuses.
     */
    protected final StoreDelta delta(List<SignedEntry> entries, Map<NodeId, Long> marks) {
        Map<AuthorPath, SignedEntry> accepted = new LinkedHashMap<>();
        for (SignedEntry e : entries) {
            Entry x = e.entry();
            AuthorPath key = new AuthorPath(x.author(), x.path());
            SignedEntry held = accepted.containsKey(key) ? accepted.get(key) : memory.entry(x.author(), x.path()).orElse(null);
            if (held == null || held.entry().seq() < x.seq()) {
                accepted.put(key, e);
            }
        }
        KnowledgeVector before = memory.knowledge();
        KnowledgeVector after = before;
        for (var m : marks.entrySet()) {
            after = after.with(m.getKey(), m.getValue());
        }
        Map<NodeId, Long> raised = new HashMap<>();
        after.highest().forEach((author, seq) -> {
            if (seq > before.get(author)) {
                raised.put(author, seq);
            }
        });
        return new StoreDelta(accepted, raised, before);
    }
}
