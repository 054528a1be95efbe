package org.savesync.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.savesync.core.folder.SafeFolder;
import org.savesync.core.index.IndexStore;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.Link;
import org.savesync.core.replication.SafePath;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.transfer.ChunkIndex;
import org.savesync.core.transfer.Transfer;
import org.savesync.core.transfer.TransferHost;

/**
 * What the {@code transfer} package sees of one group: its folder, store and chunk index, its
 * links, the engine's threads and limits, request ids bound to the link they are asked on
 * ({@link RequestRoutes}), and the {@link Materializer} that puts a finished transfer in place.
 * The transfer package knows nothing of the engine but this. The folder parts are null on a
 * full replica (the hub), which serves chunks through it but runs no transfers.
 */
final class GroupTransferHost implements TransferHost {
    private final GroupReplica r;

    GroupTransferHost(GroupReplica r) {
        this.r = r;
    }

    @Override
    public GroupId groupId() {
        return r.id;
    }

    @Override
    public Path root() {
        return r.root;
    }

    @Override
    public SafeFolder folder() {
        return r.folder;
    }

    @Override
    public IndexStore store() {
        return r.store;
    }

    @Override
    public ChunkIndex chunkIndex() {
        return r.chunkIndex;
    }

    @Override
    public List<Link> links() {
        return r.links();
    }

    @Override
    public EngineStats stats() {
        return r.engine.stats();
    }

    @Override
    public Executor engineThread() {
        return r.engine.engineExecutor();
    }

    @Override
    public Executor io() {
        return r.engine.io();
    }

    @Override
    public long newRequestId(Link link) {
        return r.engine.newRequestId(r, link);
    }

    @Override
    public void releaseRequest(long requestId) {
        r.engine.releaseRequest(requestId);
    }

    @Override
    public int chunkRequestsInFlight() {
        return r.engine.config().chunkRequestsInFlight();
    }

    @Override
    public Duration requestTimeout() {
        return r.engine.config().requestTimeout();
    }

    @Override
    public void transferComplete(Transfer t) {
        r.materializer.commit(t);
    }

    @Override
    public void requestScan() {
        r.materializer.requestScan();
    }

    @Override
    public void readingFrom(Set<SafePath> sources) {
        r.materializer.readingFrom(sources);
    }

    @Override
    public void doneReading(Set<SafePath> sources) {
        r.materializer.doneReading(sources);
    }
}
