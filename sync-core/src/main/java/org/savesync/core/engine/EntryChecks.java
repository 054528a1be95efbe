package org.savesync.core.engine;

import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Message;
import org.savesync.core.replication.BadSignatureException;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.UnsafePathException;

/** Classification of refused entries, shared by every receiver. */
final class EntryChecks {
    private EntryChecks() {
    }

    /** Why {@link org.savesync.core.replication.SignedEntry#parse} refused an entry. */
    static Refusal classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadSignatureException) {
                return Refusal.BAD_SIGNATURE;
            }
            if (t instanceof UnsafePathException) {
                return Refusal.UNSAFE_PATH;
            }
        }
        return Refusal.INVALID_ENTRY;
    }

    /** Checks of an entry against the batch that carried it; null when it fits. */
    static Refusal structural(Entry e, GroupId group, Message.EntryBatch batch, long previousSeq) {
        if (!e.group().equals(group)) {
            return Refusal.WRONG_GROUP;
        }
        if (!e.author().equals(batch.author()) || e.seq() <= previousSeq || e.seq() > batch.upToSeq()) {
            return Refusal.INVALID_ENTRY;
        }
        return null;
    }
}
