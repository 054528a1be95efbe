package org.savesync.core.engine;

import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.VersionVector;

/** A local change before it gets its group, author, seq and HLC and is signed. */
record EntryDraft(SafePath path, EntryType type, BlobId blob, long size, long mtimeNanos, boolean executable,
                  String symlinkTarget, VersionVector version) {

    static EntryDraft deleted(SafePath path, VersionVector version) {
        return new EntryDraft(path, EntryType.DELETED, null, 0, 0, false, null, version);
    }

    Entry toEntry(GroupId group, NodeId author, long seq, long hlc) {
        return new Entry(group, author, seq, path, type, blob, size, mtimeNanos, executable, symlinkTarget, hlc,
                version);
    }
}
