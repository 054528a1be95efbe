package org.savesync.server.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.MemberList;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.Resolver;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.server.persistence.CatalogedChunkStore;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.PgStores;
import org.savesync.server.service.Presence;

/**
 * What the admin API shows, worked out from the hub's stores: the current version of each
 * path (resolved as every replica resolves it), sizes and completeness. Reads the in-memory
 * indexes the engine uses, so answers are as fresh as the replica.
 */
@ApplicationScoped
public class ReplicaViews {
    private final PgStores stores;
    private final CatalogedChunkStore chunks;
    private final Instance<Presence> presence;

    ReplicaViews(PgStores stores, CatalogedChunkStore chunks, Instance<Presence> presence) {
        this.stores = stores;
        this.chunks = chunks;
        this.presence = presence;
    }

    /** The current version of a path that exists (not deleted), and whether the hub holds all of its bytes. */
    public record CurrentFile(Entry entry, boolean complete) {
    }

    /** A group's current files and its counts. */
    public record GroupState(GroupId id, GroupInfo info, MemberList members, long entries, List<CurrentFile> current,
                      long bytesStored) {
        public long files() {
            return current.stream().filter(f -> f.entry().type() == EntryType.FILE).count();
        }

        public long bytes() {
            return current.stream().filter(f -> f.entry().type() == EntryType.FILE).mapToLong(f -> f.entry().size()).sum();
        }

        public long filesComplete() {
            return current.stream().filter(f -> f.entry().type() == EntryType.FILE && f.complete()).count();
        }
    }

    public List<GroupId> groupIds() {
        return List.copyOf(stores.groups());
    }

    /** The group's store; NOT_FOUND when the hub does not hold the group. */
    public PgIndexStore store(GroupId group) {
        if (!stores.groups().contains(group)) {
            throw AdminException.notFound("the hub holds no group " + group + "; GET /api/v1/groups (or GroupAdmin.ListGroups)"
                    + " lists the groups");
        }
        return stores.open(group);
    }

    public GroupState state(GroupId group) {
        PgIndexStore s = store(group);
        GroupInfo info = s.info().orElseThrow(() -> AdminException.notFound("group " + group + " was removed"));
        MemberList members = SignedMemberList.parse(info.memberList().signedBytes(), info.memberList().signature()).list();
        long entries = 0;
        List<CurrentFile> current = new ArrayList<>();
        for (SafePath p : s.paths()) {
            List<SignedEntry> candidates = s.entriesForPath(p);
            entries += candidates.size();
            currentOf(s, candidates).ifPresent(current::add);
        }
        current.sort((a, b) -> a.entry().path().compareTo(b.entry().path()));
        return new GroupState(group, info, members, entries, current, storedBytes(s.referencedChunks()));
    }

    /** The current version of {@code path}, or empty when nothing or only a deletion is there. */
    public Optional<CurrentFile> current(PgIndexStore s, SafePath path) {
        return currentOf(s, s.entriesForPath(path));
    }

    private static Optional<CurrentFile> currentOf(PgIndexStore s, List<SignedEntry> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Entry winner = Resolver.resolve(candidates.stream().map(SignedEntry::entry).toList()).winner();
        if (winner.type() == EntryType.DELETED) {
            return Optional.empty();
        }
        return Optional.of(new CurrentFile(winner, winner.type() != EntryType.FILE || s.isComplete(winner.blob())));
    }

    /** Bytes of the distinct chunks of the group's chunk lists that are in the chunk store. */
    private long storedBytes(Map<ChunkHash, Integer> referenced) {
        long sum = 0;
        for (var c : referenced.entrySet()) {
            if (chunks.contains(c.getKey())) {
                sum += c.getValue();
            }
        }
        return sum;
    }

    public boolean online(NodeId node) {
        return presence.isResolvable() && presence.get().online(node);
    }

    public List<String> hubAddresses() {
        return presence.isResolvable() ? presence.get().hubAddresses() : List.of();
    }

    public boolean self(NodeId node) {
        return presence.isResolvable() && presence.get().self(node);
    }

    /** When the node was last connected: now while it is (the hub itself always), else what was recorded (or null). */
    public Instant lastSeen(NodeId node, Instant recorded) {
        return online(node) ? Instant.now() : recorded;
    }

    public boolean upToDate(GroupId group, NodeId node) {
        return presence.isResolvable() && presence.get().upToDate(group, node);
    }
}
