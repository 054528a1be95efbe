package org.savesync.server.backup;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.server.admin.AdminException;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.ReplicaViews;
import org.savesync.server.persistence.PgIndexStore;
import org.savesync.server.persistence.StoredVersion;

/**
 * What both admin APIs offer of the backups: a path's versions, a group's tree at a time, one
 * version's content. Refusals are {@link AdminException}s, which each API maps (400, 404, ...).
 */
@ApplicationScoped
public class Backups {
    private final ReplicaViews views;

    Backups(ReplicaViews views) {
        this.views = views;
    }

    /** A version, with its author's name in the group's member list (null when no member any more). */
    public record Version(StoredVersion stored, String authorName) {
    }

    /** Every version the hub keeps of {@code path}, newest first. */
    public List<Version> versions(GroupId group, SafePath path) {
        PgIndexStore store = views.store(group);
        Map<NodeId, String> names = new HashMap<>();
        for (Member m : views.state(group).members().members()) {
            names.put(m.id(), m.name());
        }
        return store.versions(path).stream().map(v -> new Version(v, names.get(v.author()))).toList();
    }

    /** A path of a tree at a time: its version then, when the hub received it, whether the hub holds all of it. */
    public record TreeFile(Entry entry, Instant receivedAt, boolean complete) {
        /** The version's id, {@code AUTHOR:SEQ}. */
        public String version() {
            return entry.author() + ":" + entry.seq();
        }
    }

    /** The group's folder at {@code at} ({@link Snapshot}), only what is under {@code prefix} when it is not null. */
    public List<TreeFile> tree(GroupId group, Instant at, SafePath prefix) {
        PgIndexStore store = views.store(group);
        String under = prefix == null ? null : prefix + "/";
        return Snapshot.at(store, at).stream()
                .filter(f -> under == null || f.entry().path().toString().startsWith(under))
                .map(f -> new TreeFile(f.entry(), f.receivedAt(),
                        f.entry().type() != EntryType.FILE || store.isComplete(f.entry().blob())))
                .toList();
    }

    /**
     * What a group's versions hold in the chunk store, each distinct chunk once.
     *
     * @param currentBytes bytes the current versions need
     * @param historyBytes bytes only replaced and deleted versions need (what retention can give back)
     */
    public record GroupStorage(GroupId group, int versions, int currentVersions, long currentBytes,
                               long historyBytes) {
        public long totalBytes() {
            return currentBytes + historyBytes;
        }
    }

    /** The group's bytes by current and kept history. */
    public GroupStorage storage(GroupId group) {
        PgIndexStore store = views.store(group);
        List<StoredVersion> versions = store.versions();
        java.util.function.Function<org.savesync.core.chunking.BlobId, List<org.savesync.core.chunking.ChunkRef>> lists =
                b -> store.chunkList(b).orElse(List.of());
        ChunkTally all = new ChunkTally(lists);
        ChunkTally current = new ChunkTally(lists);
        int currentVersions = 0;
        for (StoredVersion v : versions) {
            all.add(v.blob());
            if (v.current()) {
                current.add(v.blob());
                currentVersions++;
            }
        }
        return new GroupStorage(group, versions.size(), currentVersions, current.bytes(),
                all.bytes() - current.bytes());
    }

    /** The chunk store as a whole: what is stored, and what no chunk list names (the next collection deletes it). */
    public record HubStorage(long chunks, long bytes, long reclaimableChunks, long reclaimableBytes) {
    }

    public HubStorage hubStorage() {
        ChunkMark mark = ChunkMark.read();
        long[] unnamed = new long[2];
        long[] all = new long[2];
        org.savesync.server.persistence.CatalogedChunkStore.forEachRecordedBefore(null, (h, length) -> {
            all[0]++;
            all[1] += length;
            if (!mark.names(h)) {
                unnamed[0]++;
                unnamed[1] += length;
            }
        });
        return new HubStorage(all[0], all[1], unnamed[0], unnamed[1]);
    }

    /** A FILE version and the store that holds its chunks. */
    public record FileVersion(PgIndexStore store, Entry entry) {
    }

    /** The FILE version {@code version} ({@code AUTHOR:SEQ}) of the group; NOT_FOUND when not kept or not a file. */
    public FileVersion fileVersion(GroupId group, String field, String version) {
        VersionRef ref = VersionRef.parse(field, version);
        PgIndexStore store = views.store(group);
        Entry e = store.version(ref.author(), ref.seq()).map(SignedEntry::entry)
                .orElseThrow(() -> AdminException.notFound("group " + group + " holds no version " + version
                        + " (retention may have removed it); list a path's versions first"));
        if (e.type() != EntryType.FILE) {
            throw AdminException.notFound("version " + version + " of '" + e.path() + "' is a "
                    + e.type().name().toLowerCase(java.util.Locale.ROOT) + ", not a file: it has no bytes");
        }
        return new FileVersion(store, e);
    }

    /** A version's id as the APIs write it: the author's node id and the seq, {@code AUTHOR:SEQ}. */
    public record VersionRef(NodeId author, long seq) {
        static VersionRef parse(String field, String text) {
            if (text == null || text.isEmpty()) {
                throw AdminException.invalid(field, "give a version id AUTHOR:SEQ, as a path's versions list it");
            }
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw AdminException.invalid(field, "'" + AdminInput.shown(text) + "' is not a version id AUTHOR:SEQ");
            }
            long seq;
            try {
                seq = Long.parseLong(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw AdminException.invalid(field, "'" + AdminInput.shown(text) + "' is not a version id AUTHOR:SEQ:"
                        + " the seq is not a number");
            }
            if (seq < 1) {
                throw AdminException.invalid(field, "the seq of a version id is 1 or more, got " + seq);
            }
            return new VersionRef(AdminInput.node(field, text.substring(0, colon)), seq);
        }
    }
}
