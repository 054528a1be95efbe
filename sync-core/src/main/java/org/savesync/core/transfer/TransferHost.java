package org.savesync.core.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.savesync.core.stats.EngineStats;
import org.savesync.core.protocol.Link;
import org.savesync.core.folder.SafeFolder;
import org.savesync.core.index.IndexStore;
import org.savesync.core.membership.GroupId;

/** What transfers need from the group they work for. All callbacks run on the engine thread. */
public interface TransferHost {
    GroupId groupId();

    Path root();

    SafeFolder folder();

    IndexStore store();

    ChunkIndex chunkIndex();

    /** Open links to members of the group that said hello. */
    List<Link> links();

    EngineStats stats();

    /** The engine thread: every state change of a transfer happens there. */
    Executor engineThread();

    /** Threads for reading, hashing and writing file data. */
    Executor io();

    /** A fresh request id for a request sent over {@code link}: the engine routes only that link's answer back. */
    long newRequestId(Link link);

    /** The response to {@code id} will not be awaited any more. */
    void releaseRequest(long id);

    int chunkRequestsInFlight();

    Duration requestTimeout();

    /** All chunks verified and the temp file synced: put it in place. */
    void transferComplete(Transfer t);

    /** A transfer starts copying chunks out of these files: deletes and overwrites of them wait. */
    void readingFrom(java.util.Set<org.savesync.core.replication.SafePath> sources);

    /** ... and is done with them. */
    void doneReading(java.util.Set<org.savesync.core.replication.SafePath> sources);

    /** A file we serve from changed under us. */
    void requestScan();
}
