package org.savesync.agent.persistence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.index.IndexStore;
import org.savesync.core.index.TestRecords;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.SignedEntry;

/**
 * The child process of {@link H2KillTest}: opens the index in {@code args[0]} for group
 * {@code args[1]} as the node whose key is in that directory, then writes until killed. Each
 * round stores {@value #BATCH} entries (the last one at {@value #HOT_PATH}, replacing the
 * previous round's), a chunk list and a local record, and only then prints {@code stored N}
 * (N = the highest seq stored): every printed line is a promise that the round is durable.
 */
public final class StoreWriterMain {
    static final int BATCH = 20;
    static final String HOT_PATH = "hot.txt";

    private StoreWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        GroupId group = GroupId.parse(args[1]);
        NodeKey key = NodeKey.loadOrCreate(dataDir);
        var pool = H2TestDatabase.openDatabase(dataDir); // never closed: the process ends by SIGKILL
        IndexStore store = new H2Stores(pool).open(group);
        long seq = store.knowledge().get(key.nodeId());
        System.out.println("resuming at " + seq);
        System.out.flush();
        while (true) {
            List<SignedEntry> batch = new ArrayList<>();
            for (int i = 1; i <= BATCH; i++) {
                seq++;
                batch.add(TestRecords.file(key, group, seq, i == BATCH ? HOT_PATH : "d" + seq % 7 + "/f" + seq));
            }
            store.store(batch, Map.of(key.nodeId(), seq));
            store.putChunkList(BlobId.of(TestRecords.chunks(3, (int) seq)), TestRecords.chunks(3, (int) seq));
            store.putLocal(TestRecords.localFile("local/" + seq, key.nodeId(), seq));
            System.out.println("stored " + seq);
            System.out.flush();
        }
    }
}
