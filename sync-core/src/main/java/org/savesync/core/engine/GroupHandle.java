package org.savesync.core.engine;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.MemberList;
import org.savesync.core.protocol.Link;
import org.savesync.core.replication.KnowledgeVector;
import org.savesync.core.transfer.TransferManager;

/** A thread-safe view of one group of a running engine, for the apps and tests. */
public final class GroupHandle {
    private final GroupReplica r;

    GroupHandle(GroupReplica r) {
        this.r = r;
    }

    public GroupId id() {
        return r.id;
    }

    public Path folder() {
        return r.root;
    }

    public String name() {
        return r.engine.call(() -> r.info().name()).join();
    }

    public NodeId authority() {
        return r.engine.call(() -> r.info().authority()).join();
    }

    public MemberList members() {
        return r.members().list();
    }

    /**
     * The epoch of the group secret this node holds: it goes up each time a member is removed or
     * leaves, and a node with an older one exchanges nothing but the member list until the
     * authority hands it the new secret. 0 when this node holds no secret.
     */
    public long secretEpoch() {
        return r.engine.call(() -> r.info().secret() == null ? 0L : r.info().secret().epoch()).join();
    }

    /**
     * Set when this node was removed from the group by its authority: who signed the list
     * without it and when this node saw it. The group is stopped then (and not started again);
     * its files stay in {@link #folder()} and its index stays, to be shown.
     */
    public java.util.Optional<Removals.Removed> removed() {
        return r.engine.removal(r.id);
    }

    /**
     * Scans the folder now; completes when the changes found are published. Does nothing for a
     * group this node was removed from: its folder is no longer published.
     */
    public CompletableFuture<Void> scan() {
        if (r.stored != null) {
            return CompletableFuture.completedFuture(null); // a full replica has no folder to scan
        }
        return r.engine.call(() -> r.engine.removal(r.id).isPresent() ? CompletableFuture.<Void>completedFuture(null)
                : r.publisher.scan()).thenCompose(f -> f);
    }

    /**
     * Whether {@code node} last reported holding every entry this node holds (false when it
     * never reported). For a full replica that means the member is in step with the group.
     */
    public boolean upToDate(NodeId node) {
        return r.engine.call(() -> r.upToDate(node)).join();
    }

    /**
     * How far {@code node}'s last report of this group is from this node's knowledge (empty
     * when it never reported); see {@link PeerLag}.
     */
    public java.util.Optional<PeerLag> lagOf(NodeId node) {
        return r.engine.call(() -> PeerLag.of(r.store, r.reportedBy(node))).join();
    }

    public KnowledgeVector knowledge() {
        return r.engine.call(r.store::knowledge).join();
    }

    /** Where this group stands: what is left to transfer and whether anything is in progress. */
    public Status status() {
        return r.engine.call(() -> {
            TransferManager.Progress p = r.progress();
            int conflicts = 0;
            for (var rec : r.store.locals()) {
                if (rec.isConflictCopy()) {
                    conflicts++;
                }
            }
            return new Status(r.idle(), (int) r.links().stream().map(Link::remote).distinct().count(), p.files(),
                    p.totalBytes(), p.verifiedBytes(), r.publisher != null && r.publisher.busy(), conflicts,
                    r.transferProblem());
        }).join();
    }

    /**
     * What is wrong with the folder's {@code .savesyncignore} as last read: lines skipped as
     * invalid (with their line numbers) and problems with the file as a whole (line 0).
     */
    public java.util.List<org.savesync.core.ignore.IgnoreProblem> ignoreProblems() {
        return r.ignored == null ? java.util.List.of() : r.engine.call(r.ignored::problems).join();
    }

    /** Human-readable state of the transfers and the materialiser, for diagnostics. */
    public String describe() {
        return r.engine.call(() -> {
            StringBuilder sb = new StringBuilder("node=" + r.self().shortId(7) + (r.stored != null
                    ? " full replica: " + r.progress() + " stalled=" + r.stored.stalledCount()
                    : " transfers=" + r.transfers.describe() + " materializer=" + r.materializer.describe()
                    + " scanning=" + r.publisher.busy())
                    + "\n    published: " + r.recentPublishes);
            for (var path : r.store.paths()) {
                sb.append("\n    ").append(path).append(':');
                for (var e : r.store.entriesForPath(path)) {
                    var x = e.entry();
                    sb.append(" [").append(x.author().shortId(7)).append('#').append(x.seq()).append(' ')
                            .append(x.type()).append(x.blob() == null ? "" : " " + x.blob().shortString())
                            .append(" v=").append(x.version()).append(" hlc=").append(x.hlc()).append(']');
                }
                r.store.local(path).ifPresent(l -> sb.append(" local=").append(l.blob() == null ? "-" : l.blob().shortString())
                        .append(" v=").append(l.version()).append(l.isConflictCopy() ? " copy" : ""));
            }
            return sb.toString();
        }).join();
    }

    /**
     * Runs {@code action} while the engine writes nothing into the folder: tests use it to
     * change files without racing the engine's own writes.
     */
    public <T> T withFolderLock(Callable<T> action) throws Exception {
        r.folderLock.lock();
        try {
            return action.call();
        } finally {
            r.folderLock.unlock();
        }
    }

    /**
     * @param idle            nothing to scan, plan or transfer right now
     * @param peers           connected members
     * @param filesPending    files being transferred
     * @param bytesPending    their total size
     * @param bytesVerified   of which verified so far
     * @param scanning        the folder is being scanned (new and changed files hashed)
     * @param conflicts       conflict copies in the folder, waiting for the user to settle them
     * @param stalled         why transfers cannot progress now ("cannot create temp files: too many
     *                        open files (12 file(s) waiting to retry)"); empty when they can
     */
    public record Status(boolean idle, int peers, int filesPending, long bytesPending, long bytesVerified,
                         boolean scanning, int conflicts, String stalled) {
    }
}
