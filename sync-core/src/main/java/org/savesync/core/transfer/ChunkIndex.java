package org.savesync.core.transfer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.replication.SafePath;

/**
 * Where each chunk can be read in the folder: built from the chunk lists of the files the
 * node has on disk. Serving and local reuse (renames, conflict copies, resumed joins) look
 * chunks up here; every read is verified against the hash, so a stale location costs only
 * a miss. Used from the engine thread only.
 */
public final class ChunkIndex {
    /** A chunk's place in a file of the folder. */
    public record Location(SafePath path, long offset, int length) {
    }

    private final Map<ChunkHash, List<Location>> byHash = new HashMap<>();
    private final Map<SafePath, List<ChunkRef>> byPath = new HashMap<>();

    public void add(SafePath path, List<ChunkRef> chunks) {
        remove(path);
        byPath.put(path, chunks);
        long off = 0;
        for (ChunkRef c : chunks) {
            byHash.computeIfAbsent(c.hash(), h -> new ArrayList<>(1)).add(new Location(path, off, c.length()));
            off += c.length();
        }
    }

    public void remove(SafePath path) {
        List<ChunkRef> old = byPath.remove(path);
        if (old == null) {
            return;
        }
        for (ChunkRef c : old) {
            List<Location> locs = byHash.get(c.hash());
            if (locs != null) {
                locs.removeIf(l -> l.path().equals(path));
                if (locs.isEmpty()) {
                    byHash.remove(c.hash());
                }
            }
        }
    }

    public List<Location> find(ChunkHash hash) {
        return List.copyOf(byHash.getOrDefault(hash, List.of()));
    }

    public boolean contains(ChunkHash hash) {
        return byHash.containsKey(hash);
    }
}
