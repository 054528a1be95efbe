// PLACEHOLDER: replaced by the persistence branch
package org.savesync.server.persistence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.index.ReplicaIndex;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/** A {@link ReplicaIndex} in memory: sync-core's in-memory store plus the set of complete blobs. */
final class InMemoryReplicaIndex implements ReplicaIndex {
    private final InMemoryIndexStore entries = new InMemoryIndexStore();
    private final Set<BlobId> complete = ConcurrentHashMap.newKeySet();

    long entryCount() {
        return entries.paths().stream().mapToLong(p -> entries.entriesForPath(p).size()).sum();
    }

    @Override
    public void markComplete(BlobId blob) {
        complete.add(blob);
    }

    @Override
    public boolean isComplete(BlobId blob) {
        return complete.contains(blob);
    }

    @Override
    public List<BlobId> incompleteBlobs(int limit) {
        return entries.paths().stream().flatMap(p -> entries.entriesForPath(p).stream()).map(SignedEntry::entry)
                .filter(e -> e.type() == EntryType.FILE && !BlobId.EMPTY.equals(e.blob()) && !complete.contains(e.blob()))
                .map(e -> e.blob()).distinct().limit(limit).toList();
    }

    @Override
    public Optional<GroupInfo> info() {
        return entries.info();
    }

    @Override
    public void saveInfo(GroupInfo info) {
        entries.saveInfo(info);
    }

    @Override
    public KnowledgeVector knowledge() {
        return entries.knowledge();
    }

    @Override
    public void store(List<SignedEntry> batch, Map<NodeId, Long> knowledge) {
        entries.store(batch, knowledge);
    }

    @Override
    public Optional<SignedEntry> entry(NodeId author, SafePath path) {
        return entries.entry(author, path);
    }

    @Override
    public Optional<SignedEntry> entryBySeq(NodeId author, long seq) {
        return entries.entryBySeq(author, seq);
    }

    @Override
    public List<SignedEntry> entriesForPath(SafePath path) {
        return entries.entriesForPath(path);
    }

    @Override
    public List<SignedEntry> entriesAfter(NodeId author, long afterSeq, int limit) {
        return entries.entriesAfter(author, afterSeq, limit);
    }

    @Override
    public Collection<SafePath> paths() {
        return entries.paths();
    }

    @Override
    public Optional<LocalRecord> local(SafePath path) {
        return entries.local(path);
    }

    @Override
    public void putLocal(LocalRecord record) {
        entries.putLocal(record);
    }

    @Override
    public void removeLocal(SafePath path) {
        entries.removeLocal(path);
    }

    @Override
    public Collection<LocalRecord> locals() {
        return entries.locals();
    }

    @Override
    public void putChunkList(BlobId blob, List<ChunkRef> chunks) {
        entries.putChunkList(blob, chunks);
    }

    @Override
    public Optional<List<ChunkRef>> chunkList(BlobId blob) {
        return entries.chunkList(blob);
    }
}
