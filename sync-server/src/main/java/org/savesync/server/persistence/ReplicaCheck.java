package org.savesync.server.persistence;

import org.savesync.core.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.server.persistence.CheckReport.Finding;

/**
 * Checks the hub's replica against itself, read-only: re-hashes every stored chunk and
 * compares the chunk store with its catalog ({@code chunks}) and with the chunk lists of every
 * group. Nothing is repaired; the report says what is wrong (see {@link CheckReport}).
 *
 * <p>Reads every chunk once, so it costs a full read of the store; meant for an operator or a
 * test, not for a timer.
 */
@ApplicationScoped
public class ReplicaCheck {
    private final CatalogedChunkStore chunks;

    ReplicaCheck(CatalogedChunkStore chunks) {
        this.chunks = chunks;
    }

    public CheckReport run() {
        Map<ChunkHash, Integer> rows = CatalogedChunkStore.recordedLengths();
        Map<ChunkHash, Integer> listed = new HashMap<>();
        Set<ChunkHash> neededByComplete = new HashSet<>();
        readChunkLists(listed, neededByComplete);

        List<ChunkHash> stored = new ArrayList<>();
        try {
            chunks.forEach(stored::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the chunk store: " + Failure.describe(e), e);
        }
        Collector truncated = new Collector();
        Collector corrupt = new Collector();
        Collector unreferenced = new Collector();
        Collector unrecorded = new Collector();
        Set<ChunkHash> present = new HashSet<>(stored.size() * 2);
        long bytesChecked = 0;
        for (ChunkHash h : stored) {
            Optional<byte[]> data = read(h);
            if (data.isEmpty()) {
                continue; // deleted since it was listed
            }
            byte[] bytes = data.get();
            present.add(h);
            bytesChecked += bytes.length;
            Integer row = rows.get(h);
            Integer expected = listed.get(h);
            if (row == null) {
                unrecorded.add(h, bytes.length + " bytes on disk, no row in the chunks table");
            }
            if (row != null && row != bytes.length || expected != null && expected != bytes.length) {
                truncated.add(h, bytes.length + " bytes on disk, " + (row != null ? row : expected) + " expected");
            } else if (!h.matches(bytes, 0, bytes.length)) {
                corrupt.add(h, "its " + bytes.length + " bytes do not hash to its name");
            }
            if (expected == null) {
                unreferenced.add(h, "in no chunk list of any group");
            }
        }
        Collector missing = new Collector();
        for (ChunkHash h : neededByComplete) {
            if (!present.contains(h)) {
                missing.add(h, "needed by a blob marked complete, not in the chunk store");
            }
        }
        return new CheckReport(present.size(), bytesChecked, truncated.finding(), corrupt.finding(), missing.finding(),
                unreferenced.finding(), unrecorded.finding());
    }

    private Optional<byte[]> read(ChunkHash h) {
        try {
            return chunks.get(h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chunk " + h + ": " + Failure.describe(e), e);
        }
    }

    /** Fills the length every chunk list gives each chunk, and the chunks of blobs marked complete. */
    private static void readChunkLists(Map<ChunkHash, Integer> listed, Set<ChunkHash> neededByComplete) {
        ChunkListRows.forEach((chunks, complete) -> {
            for (ChunkRef c : chunks) {
                listed.put(c.hash(), c.length());
                if (complete) {
                    neededByComplete.add(c.hash());
                }
            }
        });
    }

    /** Counts findings and keeps the first {@link Finding#MAX_EXAMPLES}. */
    private static final class Collector {
        private long count;
        private final List<String> examples = new ArrayList<>();

        void add(ChunkHash h, String what) {
            count++;
            if (examples.size() < Finding.MAX_EXAMPLES) {
                examples.add(h + ": " + what);
            }
        }

        Finding finding() {
            return new Finding(count, examples);
        }
    }
}
