package org.savesync.core.index;

import org.savesync.core.chunking.BlobId;
import org.savesync.core.folder.LocalFile;
import org.savesync.core.identity.NodeId;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.VersionVector;

/**
 * What this node has on disk at a path and which version it reflects.
 *
 * @param stat       the file as last seen or written by the engine (size, mtime, inode...):
 *                   a differing stat on disk means a local change
 * @param blob       content id for files, null otherwise
 * @param version    the version vector of the entry the disk state corresponds to; a local
 *                   edit is published as this vector raised by one for this node, so it
 *                   supersedes exactly what the user saw and nothing they did not
 * @param conflict   set when the file is a materialised conflict copy (not published)
 */
public record LocalRecord(SafePath path, LocalFile stat, BlobId blob, VersionVector version, ConflictSource conflict) {

    /** The losing entry a conflict copy was materialised from. */
    public record ConflictSource(SafePath original, NodeId author, long seq) {
    }

    public boolean isConflictCopy() {
        return conflict != null;
    }

    public LocalRecord withStat(LocalFile s) {
        return new LocalRecord(path, s, blob, version, conflict);
    }

    public LocalRecord withVersion(VersionVector v) {
        return new LocalRecord(path, stat, blob, v, conflict);
    }
}
