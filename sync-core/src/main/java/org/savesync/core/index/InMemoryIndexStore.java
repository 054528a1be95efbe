package org.savesync.core.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * The reference {@link IndexStore}, in memory. It outlives an engine when the caller keeps
 * it (tests restart engines on the same store to stand for a persistent one).
 */
public final class InMemoryIndexStore implements ReplicaIndex {
    private GroupInfo info;
    private KnowledgeVector knowledge = KnowledgeVector.EMPTY;
    private final Map<NodeId, NavigableMap<Long, SignedEntry>> bySeq = new HashMap<>();
    private final Map<SafePath, Map<NodeId, SignedEntry>> byPath = new HashMap<>();
    private final Map<SafePath, LocalRecord> locals = new HashMap<>();
    private final Map<BlobId, List<ChunkRef>> chunkLists = new ConcurrentHashMap<>();
    private final java.util.Set<BlobId> complete = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized Optional<GroupInfo> info() {
        return Optional.ofNullable(info);
    }

    @Override
    public synchronized void saveInfo(GroupInfo info) {
        this.info = info;
    }

    @Override
    public synchronized KnowledgeVector knowledge() {
        return knowledge;
    }

    @Override
    public synchronized void store(List<SignedEntry> entries, Map<NodeId, Long> marks) {
        for (SignedEntry e : entries) {
            var author = e.entry().author();
            var path = e.entry().path();
            Map<NodeId, SignedEntry> atPath = byPath.computeIfAbsent(path, p -> new HashMap<>());
            SignedEntry old = atPath.get(author);
            if (old != null && old.entry().seq() >= e.entry().seq()) {
                continue;
            }
            NavigableMap<Long, SignedEntry> seqs = bySeq.computeIfAbsent(author, a -> new TreeMap<>());
            if (old != null) {
                seqs.remove(old.entry().seq());
            }
            atPath.put(author, e);
            seqs.put(e.entry().seq(), e);
        }
        for (var m : marks.entrySet()) {
            knowledge = knowledge.with(m.getKey(), m.getValue());
        }
    }

    @Override
    public synchronized Optional<SignedEntry> entry(NodeId author, SafePath path) {
        return Optional.ofNullable(byPath.getOrDefault(path, Map.of()).get(author));
    }

    @Override
    public synchronized Optional<SignedEntry> entryBySeq(NodeId author, long seq) {
        var seqs = bySeq.get(author);
        return seqs == null ? Optional.empty() : Optional.ofNullable(seqs.get(seq));
    }

    @Override
    public synchronized List<SignedEntry> entriesForPath(SafePath path) {
        return List.copyOf(byPath.getOrDefault(path, Map.of()).values());
    }

    @Override
    public synchronized List<SignedEntry> entriesAfter(NodeId author, long afterSeq, int limit) {
        var seqs = bySeq.get(author);
        if (seqs == null) {
            return List.of();
        }
        List<SignedEntry> out = new ArrayList<>(Math.min(limit, 64));
        for (SignedEntry e : seqs.tailMap(afterSeq, false).values()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized Collection<SafePath> paths() {
        return List.copyOf(byPath.keySet());
    }

    @Override
    public synchronized Optional<LocalRecord> local(SafePath path) {
        return Optional.ofNullable(locals.get(path));
    }

    @Override
    public synchronized void putLocal(LocalRecord record) {
        locals.put(record.path(), record);
    }

    @Override
    public synchronized void removeLocal(SafePath path) {
        locals.remove(path);
    }

    @Override
    public synchronized Collection<LocalRecord> locals() {
        return List.copyOf(locals.values());
    }

    @Override
    public void putChunkList(BlobId blob, List<ChunkRef> chunks) {
        chunkLists.put(blob, List.copyOf(chunks));
    }

    @Override
    public Optional<List<ChunkRef>> chunkList(BlobId blob) {
        return Optional.ofNullable(chunkLists.get(blob));
    }

    /**
     * Forgets the chunk list of {@code blob} and its completion (a full replica dropping a blob
     * that no version it keeps refers to any more); a no-op when none is held.
     */
    public void removeChunkList(BlobId blob) {
        complete.remove(blob);
        chunkLists.remove(blob);
    }

    @Override
    public void markComplete(BlobId blob) {
        complete.add(blob);
    }

    @Override
    public boolean isComplete(BlobId blob) {
        return complete.contains(blob);
    }

    /** Blobs marked complete (for stores that persist them). */
    @Override
    public java.util.Set<BlobId> completeBlobs() {
        return java.util.Set.copyOf(complete);
    }

    @Override
    public synchronized List<BlobId> incompleteBlobs(int limit) {
        java.util.LinkedHashSet<BlobId> out = new java.util.LinkedHashSet<>();
        for (var seqs : bySeq.values()) {
            for (SignedEntry e : seqs.values()) {
                BlobId b = e.entry().blob();
                if (out.size() >= limit) {
                    return List.copyOf(out);
                }
                if (e.entry().type() == org.savesync.core.replication.EntryType.FILE && b != null
                        && !b.equals(BlobId.EMPTY) && !complete.contains(b)) {
                    out.add(b);
                }
            }
        }
        return List.copyOf(out);
    }
}
