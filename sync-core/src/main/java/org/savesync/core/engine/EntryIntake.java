package org.savesync.core.engine;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jboss.logging.Logger;
import org.savesync.core.failure.Failure;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.stats.EngineStats.Refusal;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.Entry;
import org.savesync.core.replication.EntryType;
import org.savesync.core.replication.Hlc;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.core.identity.NodeId;

/**
 * Receiving entries of one group: a batch of author X is applied only when we already know X
 * up to the batch's {@code afterSeq} (so a lost or reordered batch is simply sent again
 * later). Each entry is verified before it is stored: signature, group, author on the member
 * list with write rights, HLC at most {@link Hlc#MAX_FUTURE_SKEW} ahead, safe path, no
 * ancestor that is a symlink, and no second, different entry under an (author, seq) already
 * held. The first refused entry stops the batch.
 *
 * <p>Knowledge of X rises only to the highest seq of X's entries verified here: the batch's
 * {@code upToSeq} only bounds the entries it may carry and is never believed by itself. An
 * author's highest entry is never compacted (an entry is only replaced by one of the same
 * author and path with a higher seq), so an honest sender's batches up to its mark end with
 * the entry of that seq, signed by the author: that signature is the proof of the mark (see
 * docs/replication.md). The same holds for batches about this node: its own mark rises only
 * with entries it signed itself. Runs on the engine thread.
 */
final class EntryIntake {
    private static final Logger LOG = Logger.getLogger(EntryIntake.class);

    private final GroupReplica r;

    EntryIntake(GroupReplica r) {
        this.r = r;
    }

    /**
     * Why entries of {@code author} are refused whatever they say: it is not a member
     * ({@code NOT_A_MEMBER}), or a READER ({@code READ_ONLY}); null for a member who may write.
     */
    static Refusal authorRefusal(org.savesync.core.membership.MemberList members, NodeId author) {
        var member = members.member(author);
        if (member.isEmpty()) {
            return Refusal.NOT_A_MEMBER;
        }
        return member.get().role().canWrite() ? null : Refusal.READ_ONLY;
    }

    void onEntries(Message.EntryBatch batch) {
        NodeId author = batch.author();
        Refusal notWriter = authorRefusal(r.members().list(), author);
        if (notWriter != null) {
            // Checked before any signature is: nothing of a non-writer is worth verifying.
            r.engine.stats().refused(notWriter);
            return;
        }
        long known = r.store.knowledge().get(author);
        if (batch.afterSeq() > known) {
            // A gap: an earlier batch was lost or overtaken; anti-entropy sends it again.
            r.engine.stats().entryBatchesOutOfOrder.increment();
            LOG.debugf("group %s: dropped a batch of %s after seq %d: known up to %d", r.id, author, batch.afterSeq(), known);
            return;
        }
        List<Object> verified = r.engine.verifier().take(batch); // null: not pre-verified, parse here
        List<SignedEntry> accepted = new ArrayList<>();
        Map<SafePath, SignedEntry> acceptedByPath = new HashMap<>();
        long proven = known; // the highest seq of this author that a verified entry proves
        long previousSeq = batch.afterSeq();
        long maxHlc = 0;
        for (int i = 0; i < batch.entries().size(); i++) {
            SignedRecord rec = batch.entries().get(i);
            OptionalLong peeked = SignedEntry.peekSeq(rec.signedBytes());
            if (peeked.isPresent() && peeked.getAsLong() <= known && peeked.getAsLong() > previousSeq) {
                var held = r.store.entryBySeq(author, peeked.getAsLong());
                if (held.isEmpty() || Arrays.equals(held.get().signedBytes(), rec.signedBytes())) {
                    previousSeq = peeked.getAsLong(); // already held (or compacted away): no need to verify again
                    continue;
                }
            }
            SignedEntry se;
            try {
                Object pre = verified == null ? null : verified.get(i);
                if (pre instanceof RuntimeException failed) {
                    throw failed;
                }
                if (pre instanceof SignedEntry ok) {
                    se = ok;
                } else {
                    r.engine.stats().entriesVerified.increment();
                    se = SignedEntry.parse(rec.signedBytes(), rec.signature());
                }
            } catch (Exception e) {
                Refusal why = EntryChecks.classify(e);
                r.engine.stats().refused(why);
                PeerLog.warn(LOG, "group %s: refused an entry of %s: %s", r.id, author, Failure.describe(e));
                break;
            }
            Entry e = se.entry();
            Refusal why = EntryChecks.structural(e, r.id, batch, previousSeq);
            if (why == null && e.seq() <= known) {
                var held = r.store.entryBySeq(author, e.seq());
                if (held.isPresent() && !held.get().sameContentAs(se)) {
                    r.engine.stats().refused(Refusal.SEQ_REUSED);
                    PeerLog.warn(LOG, "group %s: %s signed two different entries with seq %d; keeping the first", r.id,
                            author, e.seq());
                }
                previousSeq = e.seq();
                continue;
            }
            if (why == null) {
                why = check(e, acceptedByPath);
            }
            if (why != null) {
                r.engine.stats().refused(why);
                PeerLog.warn(LOG, "group %s: refused entry %s/%d (%s): %s", r.id, author, e.seq(), e.path(), why);
                break;
            }
            accepted.add(se);
            acceptedByPath.put(e.path(), se);
            maxHlc = Math.max(maxHlc, e.hlc());
            previousSeq = e.seq();
            proven = e.seq();
        }
        if (accepted.isEmpty()) {
            return; // nothing new proven: whatever upToSeq said, knowledge stays as it is
        }
        r.store.store(accepted, Map.of(author, proven));
        r.engine.clock().observe(maxHlc);
        r.engine.stats().entriesReceived.add(accepted.size());
        r.entriesStored(accepted);
        // Peers that lack these entries hear about them now rather than at the next tick.
        r.exchange.broadcastKnowledge();
    }

    /** Checks that need the index: membership, clock, symlinked ancestors. Null when the entry is fine. */
    private Refusal check(Entry e, Map<SafePath, SignedEntry> inBatch) {
        Refusal notWriter = authorRefusal(r.members().list(), e.author());
        if (notWriter != null) {
            return notWriter;
        }
        if (Hlc.tooFarAhead(e.hlc(), r.engine.config().wallClock().getAsLong())) {
            return Refusal.HLC_IN_FUTURE;
        }
        for (SafePath a : e.path().ancestors()) {
            SignedEntry batchEntry = inBatch.get(a);
            if (batchEntry != null && batchEntry.entry().type() == EntryType.SYMLINK) {
                return Refusal.PATH_THROUGH_SYMLINK;
            }
            Entry w = r.winner(a);
            if (w != null && w.type() == EntryType.SYMLINK) {
                return Refusal.PATH_THROUGH_SYMLINK;
            }
            if (r.root != null && Files.isSymbolicLink(a.resolveIn(r.root))) {
                return Refusal.PATH_THROUGH_SYMLINK;
            }
        }
        return null;
    }
}
