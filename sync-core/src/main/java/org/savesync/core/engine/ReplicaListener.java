package org.savesync.core.engine;

import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SafePath;

/**
 * What a full replica (the hub) tells its owner as it happens: a group registered with it, a
 * conflict among the entries it holds, a file's content completely stored. Called on the
 * engine thread: implementations must be quick and must not block (hand the event over and
 * return); an exception they throw is logged and otherwise ignored. Agents use {@link #NONE}.
 */
public interface ReplicaListener {
    /** Tells nobody: the default. */
    ReplicaListener NONE = new ReplicaListener() {
    };

    /** {@code by} (the group's authority until now) handed {@code group} over to this node. */
    default void groupRegistered(GroupId group, String name, NodeId by) {
    }

    /**
     * {@code author} wrote {@code path} without knowing of {@code other}'s version of it (their
     * version vectors are concurrent and the contents differ): the members will show a conflict copy.
     */
    default void conflict(GroupId group, SafePath path, NodeId author, NodeId other) {
    }

    /**
     * Every chunk of {@code blob} is stored and synced. {@code path} and {@code author} are those of
     * the entry that asked for it, or null when it was resumed from the index (after a restart).
     */
    default void contentStored(GroupId group, BlobId blob, long bytes, SafePath path, NodeId author) {
    }
}
