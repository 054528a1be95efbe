package org.savesync.core.engine;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.failure.Failure;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.transfer.ChunkListFetch;
import org.savesync.core.transfer.ChunkReceiver;
import org.savesync.core.transfer.ChunkRequests;

/**
 * Pulls one blob into the chunk store of a full replica.
 * <pre>
 *   1. chunk list: from the index, or fetched from the members ({@link ChunkListFetch}); kept
 *      only when it hashes to the blob id
 *   2. which chunks the group holds already ({@link GroupChunks}: in a complete blob of this
 *      group, and in the store; I/O thread): those are never fetched again. A chunk the store
 *      has for another group only is fetched again from this group's members (a hash alone
 *      proves nothing), and so are the chunks of a blob that was incomplete when the replica
 *      stopped
 *   3. ChunkRequests for the rest, round robin over the members' links, within the group's
 *      request budget; each answer is hashed (I/O thread) before the store keeps it
 *      ({@link ChunkReceiver})
 *   4. all chunks in: sync the store (I/O thread), then store the chunk list and mark the blob
 *      complete in the index ({@link org.savesync.core.index.ReplicaIndex#completeLater}); the
 *      engine thread does not wait for that write, and the blob counts as complete (served,
 *      reported) only once it is durable
 * </pre>
 * A chunk counts as stored only once the store says so ({@link
 * org.savesync.core.chunkstore.ChunkStore#putAsync}: the hub commits catalog rows in batches);
 * until then its request keeps its slot, so what waits is bounded by the group's budget.
 * A blob that no connected member can provide (superseded at its author, or the author is
 * offline) is <em>stalled</em>: it gives up its slot and {@link StoredContent} tries it again
 * when the peers change or later. State changes on the engine thread only.
 */
final class BlobFetch {
    private static final Logger LOG = Logger.getLogger(BlobFetch.class);

    private final StoredContent owner;
    final BlobId blob;
    private List<ChunkRef> chunks;
    private ChunkReceiver receiver;
    private ChunkRequests requests;
    private final ChunkListFetch list;
    private boolean checking;
    private boolean finishing;
    private boolean cancelled;
    /** The store could not take a chunk (a full disk, say): set aside, tried again later, no peer blamed. */
    private boolean storeFailed;

    BlobFetch(StoredContent owner, BlobId blob) {
        this.owner = owner;
        this.blob = blob;
        this.list = new ChunkListFetch(new ChunkListFetch.Peers(owner.group(), link -> owner.newRequest(this, link),
                owner::release, owner::pick, owner.requestTimeout(), owner.stats()), blob, -1,
                "blob " + blob.shortString());
    }

    List<ChunkRef> chunks() {
        return chunks;
    }

    long totalBytes() {
        return chunks == null ? 0 : chunks.stream().mapToLong(ChunkRef::length).sum();
    }

    long verifiedBytes() {
        return receiver == null ? 0 : receiver.verifiedBytes();
    }

    void start() {
        var known = owner.index().chunkList(blob);
        if (known.isPresent()) {
            haveList(known.get());
        } else {
            list.ask();
        }
    }

    void cancel() {
        cancelled = true;
        if (requests != null) {
            requests.cancelAll();
        }
        list.cancel();
    }

    /** The chunk store failed to take a chunk: the fetch is to be set aside and tried again later. */
    boolean failed() {
        return storeFailed && !cancelled;
    }

    /** No request is outstanding and none could be sent: every link lacks what is missing. */
    boolean stuck() {
        if (cancelled || checking || finishing) {
            return false;
        }
        if (chunks == null) {
            return !list.inFlight();
        }
        return requests.quiet() && !requests.allDone();
    }

    // ------------------------------------------------------------------ chunk list

    void onChunkList(Link from, Message.BlobChunks m) {
        if (cancelled) {
            return;
        }
        List<ChunkRef> complete = list.onPage(from, m);
        if (complete != null) {
            // Kept for a resume after a restart; not waited for (the completion stores it too).
            owner.index().putChunkListLater(blob, complete).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.debugf("the chunk list of blob %s was not stored yet: %s", blob.shortString(),
                            Failure.describe(e));
                }
            });
            haveList(complete);
        }
    }

    private void haveList(List<ChunkRef> refs) {
        chunks = refs;
        receiver = new ChunkReceiver(refs,
                ChunkRequests.Slots.of(link -> owner.hasSlots() ? owner.takeSlot(this, link) : -1, owner::returnSlot),
                new ChunkReceiver.Owner(owner.io(), owner.engineThread(), owner.stats(), () -> cancelled,
                        owner::pumpAll),
                new ChunkReceiver.Sink() {
                    @Override
                    public ChunkReceiver.Kept keep(int i, ChunkRef chunk, byte[] data) {
                        return keepLater(i, chunk, data).toCompletableFuture().join();
                    }

                    @Override
                    public CompletionStage<ChunkReceiver.Kept> keepLater(int i, ChunkRef chunk, byte[] data) {
                        return store(chunk, data);
                    }
                }, "blob " + blob.shortString());
        requests = receiver.requests();
        checking = true;
        owner.io().execute(() -> {
            BitSet present = new BitSet(refs.size());
            try {
                for (int i = 0; i < refs.size(); i++) {
                    // Only what this group holds counts: a chunk stored for another group is fetched
                    // from this group's members, so knowing its hash proves nothing.
                    ChunkHash h = refs.get(i).hash();
                    if (owner.held().holds(h) && owner.chunkStore().contains(h)) {
                        present.set(i);
                    }
                }
            } catch (IOException e) {
                LOG.warnf("cannot read the chunk store: %s", Failure.describe(e));
            }
            owner.engineThread().execute(() -> {
                checking = false;
                if (cancelled) {
                    return;
                }
                receiver.alreadyHave(present);
                owner.pumpAll();
            });
        });
    }

    // ------------------------------------------------------------------ chunks

    /** Sends chunk requests while the group has budget; finishes when every chunk is stored. */
    void pump() {
        if (cancelled || finishing || checking || storeFailed) {
            return;
        }
        if (chunks == null) {
            if (!list.inFlight()) {
                list.ask();
            }
            return;
        }
        if (requests.allDone()) {
            finish();
            return;
        }
        requests.send(owner.chunkRequestsInFlight(), owner::pick, owner.group(), owner.requestTimeout());
    }

    void onChunkData(Link from, Message.ChunkData m) {
        if (receiver != null) {
            receiver.onChunkData(from, m);
        }
    }

    /**
     * I/O thread: a verified chunk goes into the store; it counts as kept once the store says
     * it is stored. One the store cannot take is this node's failure, not the peer's: the chunk
     * is not refused as bad and the peer is not marked as lacking it; the whole fetch is set
     * aside and tried again later.
     */
    private CompletionStage<ChunkReceiver.Kept> store(ChunkRef chunk, byte[] data) {
        CompletionStage<Void> stored;
        try {
            stored = owner.chunkStore().putAsync(chunk.hash(), data);
        } catch (IOException | RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((v, e) -> {
            if (e == null) {
                return ChunkReceiver.Kept.YES;
            }
            String reason = Failure.describe(e);
            owner.engineThread().execute(() -> storeFailed(chunk, reason));
            return ChunkReceiver.Kept.FAILED;
        });
    }

    /** Engine thread: the first chunk the store could not take sets the fetch aside (see {@link #failed}). */
    private void storeFailed(ChunkRef chunk, String reason) {
        if (cancelled || storeFailed) {
            return;
        }
        storeFailed = true;
        LOG.warnf("cannot store chunk %s of blob %s: %s; the blob is fetched again in %d s", chunk.hash().shortString(),
                blob.shortString(), reason, owner.stallRetry().toSeconds());
        owner.pumpAll();
    }

    /** Drops what timed out or went over a link that closed; forgets who lacked what when peers change. */
    void tick(boolean peersChanged) {
        long now = System.nanoTime();
        if (chunks == null) {
            list.tick(now, peersChanged);
        }
        if (requests != null) {
            requests.expire(now, peersChanged);
        }
    }

    private void finish() {
        finishing = true;
        owner.io().execute(() -> {
            boolean synced;
            try {
                owner.chunkStore().sync();
                synced = true;
            } catch (IOException e) {
                LOG.warnf("cannot sync the chunk store: %s", Failure.describe(e));
                synced = false;
            }
            boolean ok = synced;
            owner.engineThread().execute(() -> {
                if (!ok || cancelled) {
                    finishing = false;
                    return;
                }
                CompletionStage<Void> durable;
                try {
                    durable = owner.index().completeLater(blob, chunks);
                } catch (RuntimeException e) {
                    durable = CompletableFuture.failedFuture(e);
                }
                durable.whenComplete((v, e) -> owner.engineThread().execute(() -> completedOrNot(e)));
            });
        });
    }

    /** Engine thread: the completion mark is durable ({@code failure} null), or it failed: set aside, fetched again. */
    private void completedOrNot(Throwable failure) {
        finishing = false;
        if (cancelled) {
            return;
        }
        if (failure == null) {
            owner.completed(this);
            return;
        }
        storeFailed = true;
        LOG.warnf("cannot mark blob %s complete: %s; it is fetched again in %d s", blob.shortString(),
                Failure.describe(failure), owner.stallRetry().toSeconds());
        owner.pumpAll();
    }
}
