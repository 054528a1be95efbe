package org.savesync.server.persistence;

import java.time.Instant;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.EntryType;

/**
 * One version of a path as the hub holds it: a row of {@code entries}, with where it stands in
 * the path's history. The versions of a path are ordered by their arrival at the hub; a
 * version stopped being the newest when the next one arrived ({@link #replacedAt}).
 *
 * @param current      not superseded: the newest entry of its author for the path (retention never removes it)
 * @param newestFirst  1 for the path's newest version, 2 for the one before, ...
 * @param receivedAt   when the hub received it
 * @param replacedAt   when the next newer version of the path arrived; null for the newest
 * @param blob         the content of a FILE; null otherwise
 */
public record StoredVersion(NodeId author, long seq, String path, EntryType type, BlobId blob, long size,
                            boolean current, int newestFirst, Instant receivedAt, Instant replacedAt) {
    /** The version's id in the admin API and the CLI: {@code <author hex>:<seq>}. */
    public String id() {
        return author + ":" + seq;
    }
}
