package org.savesync.agent.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.CachedIndexStore;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.RecordCodec;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * One group's index in the agent's H2 database (tables in {@code db/migration/V1__agent_index.sql}).
 *
 * <p>Write-through cache: opening the store loads all of the group's rows into an
 * {@link InMemoryIndexStore}, which serves every read and so defines the semantics. Each
 * mutation first works out what would change, writes exactly that to H2 in one transaction
 * committed before the method returns, and only then applies it in memory; a failed write
 * throws {@link IndexStorageException} and leaves both unchanged. A mutation that changes
 * nothing (an older entry, an identical local record or chunk list) does not touch H2.
 *
 * <p>Local records and chunk lists are written behind: they describe what is on this disk and
 * can be worked out again by a scan, and the engine writes one per file, so a durable commit
 * each (~0.1 ms) would dominate scanning many small files. They are queued and written in the
 * transaction of the next {@link #store} (so what a published entry depends on is committed
 * with it, atomically), by {@link #flush} (the provider calls it every
 * {@link H2Stores#FLUSH_INTERVAL} and on close), or once {@link #MAX_PENDING} are queued. A
 * process killed in between loses at most that interval of them; the next scan re-hashes
 * those files and finds them unchanged. Entries, knowledge and group info are always durable
 * before the method returns.
 *
 * <p>Mutations are serialised on the store; {@link #chunkList} reads without locking, since
 * transfers ask for chunk lists from their own threads.
 */
public final class H2IndexStore extends CachedIndexStore {
    private static final String MERGE_ENTRY = "MERGE INTO idx_entry (group_id, author, path, seq, signed_bytes, signature,"
            + " seal) KEY (group_id, author, path) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String MERGE_KNOWLEDGE = "MERGE INTO idx_knowledge (group_id, author, seq)"
            + " KEY (group_id, author) VALUES (?, ?, ?)";
    private static final String MERGE_LOCAL = "MERGE INTO idx_local (group_id, path, local_record)"
            + " KEY (group_id, path) VALUES (?, ?, ?)";
    private static final String DELETE_LOCAL = "DELETE FROM idx_local WHERE group_id = ? AND path = ?";
    private static final String MERGE_CHUNKS = "MERGE INTO idx_chunk_list (group_id, blob_id, chunks)"
            + " KEY (group_id, blob_id) VALUES (?, ?, ?)";
    private static final String MERGE_GROUP = "MERGE INTO idx_group (group_id, group_name, folder_path, authority,"
            + " member_list, member_list_sig, secret_epoch, secret, peer_addresses, handover, handover_sig) KEY (group_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final List<String> TABLES = List.of("idx_entry", "idx_knowledge", "idx_local", "idx_chunk_list",
            "idx_group");

    private final DataSource dataSource;
    private final GroupId group;
    private final byte[] groupKey;
    /** Queued local-record and chunk-list writes beyond which a write flushes at once. */
    static final int MAX_PENDING = 2_000;

        /** path -> encoded record, or null for a removal; in order. */
    private final Map<String, byte[]> pendingLocals = new LinkedHashMap<>();
    private final Map<BlobId, byte[]> pendingChunks = new LinkedHashMap<>();
    private boolean removed;

    private final EntrySeal seal;

    private H2IndexStore(DataSource dataSource, GroupId group, EntrySeal seal) {
        this.dataSource = dataSource;
        this.group = group;
        this.groupKey = group.bytes();
        this.seal = seal;
    }

    /**
     * Opens {@code group}'s index, loading all its rows (entry rows with a matching
     * {@link EntrySeal} without a second signature check); an unknown group gives an empty store.
     */
    static H2IndexStore load(DataSource dataSource, GroupId group, EntrySeal seal) {
        H2IndexStore s = new H2IndexStore(dataSource, group, seal);
        try (Connection c = dataSource.getConnection()) {
            new GroupLoader(c, group, seal).loadInto(s.memory);
        } catch (SQLException e) {
            throw new IndexStorageException(group, "load", Failure.describe(e), e);
        }
        return s;
    }

    // -------------------------------------------------------------------- writes (H2, then memory)

    @Override
    public synchronized void saveInfo(GroupInfo info) {
        checkNotRemoved();
        if (!info.id().equals(group)) {
            throw new IllegalArgumentException("info of group " + info.id() + " saved in the index of group " + group);
        }
        write("save group info", c -> {
            try (PreparedStatement ps = c.prepareStatement(MERGE_GROUP)) {
                ps.setBytes(1, groupKey);
                ps.setString(2, info.name());
                ps.setString(3, info.folder().toString());
                ps.setBytes(4, info.authority().bytes());
                ps.setBytes(5, info.memberList().signedBytes());
                ps.setBytes(6, info.memberList().signature());
                GroupSecret secret = info.secret();
                ps.setObject(7, secret == null ? null : secret.epoch());
                ps.setBytes(8, secret == null ? null : secret.bytes());
                ps.setBytes(9, RecordCodec.encodePeers(info.peerAddresses()));
                ps.setBytes(10, info.handover() == null ? null : info.handover().signedBytes());
                ps.setBytes(11, info.handover() == null ? null : info.handover().signature());
                ps.executeUpdate();
            }
        });
        memory.saveInfo(info);
    }

    @Override
    public synchronized void store(List<SignedEntry> entries, Map<NodeId, Long> marks) {
        checkNotRemoved();
        // What the reference store would keep: per (author, path) the highest seq above what is held.
        StoreDelta delta = delta(entries, marks);
        if (delta.isEmpty()) {
            return;
        }
        Map<AuthorPath, SignedEntry> accepted = delta.accepted();
        Map<NodeId, Long> raised = delta.raised();
        write("store " + accepted.size() + " entries", c -> {
            writePending(c);
            if (!accepted.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(MERGE_ENTRY)) {
                    for (SignedEntry e : accepted.values()) {
                        ps.setBytes(1, groupKey);
                        ps.setBytes(2, e.entry().author().bytes());
                        ps.setString(3, e.entry().path().toString());
                        ps.setLong(4, e.entry().seq());
                        ps.setBytes(5, e.signedBytes());
                        ps.setBytes(6, e.signature());
                        // a SignedEntry's signature has been checked (parse) or made here (sign)
                        ps.setBytes(7, seal.seal(group, e.signedBytes(), e.signature()));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (!raised.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(MERGE_KNOWLEDGE)) {
                    for (var m : raised.entrySet()) {
                        ps.setBytes(1, groupKey);
                        ps.setBytes(2, m.getKey().bytes());
                        ps.setLong(3, m.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        });
        pendingLocals.clear();
        pendingChunks.clear();
        memory.store(List.copyOf(accepted.values()), raised);
    }

    @Override
    public synchronized void putLocal(LocalRecord record) {
        checkNotRemoved();
        if (memory.local(record.path()).filter(record::equals).isPresent()) {
            return;
        }
        pendingLocals.put(record.path().toString(), RecordCodec.encodeLocal(record));
        memory.putLocal(record);
        flushIfFull();
    }

    @Override
    public synchronized void removeLocal(SafePath path) {
        checkNotRemoved();
        if (memory.local(path).isEmpty()) {
            return;
        }
        pendingLocals.put(path.toString(), null);
        memory.removeLocal(path);
        flushIfFull();
    }

    @Override
    public synchronized void putChunkList(BlobId blob, List<ChunkRef> chunks) {
        checkNotRemoved();
        if (memory.chunkList(blob).filter(chunks::equals).isPresent()) {
            return; // a blob id names its chunk list: already stored
        }
        pendingChunks.put(blob, RecordCodec.encodeChunks(chunks));
        memory.putChunkList(blob, chunks);
        flushIfFull();
    }

    /** Writes the queued local records and chunk lists in one transaction. */
    public synchronized void flush() {
        if (removed || (pendingLocals.isEmpty() && pendingChunks.isEmpty())) {
            return;
        }
        write("write " + pendingLocals.size() + " local records and " + pendingChunks.size() + " chunk lists",
                this::writePending);
        pendingLocals.clear();
        pendingChunks.clear();
    }

    private void flushIfFull() {
        if (pendingLocals.size() + pendingChunks.size() >= MAX_PENDING) {
            flush();
        }
    }

    private void writePending(Connection c) throws SQLException {
        if (!pendingLocals.isEmpty()) {
            try (PreparedStatement put = c.prepareStatement(MERGE_LOCAL);
                 PreparedStatement del = c.prepareStatement(DELETE_LOCAL)) {
                boolean puts = false;
                boolean dels = false;
                for (var e : pendingLocals.entrySet()) {
                    if (e.getValue() == null) {
                        del.setBytes(1, groupKey);
                        del.setString(2, e.getKey());
                        del.addBatch();
                        dels = true;
                    } else {
                        put.setBytes(1, groupKey);
                        put.setString(2, e.getKey());
                        put.setBytes(3, e.getValue());
                        put.addBatch();
                        puts = true;
                    }
                }
                // Each path appears once in the queue, so the order between the two batches does not matter.
                if (puts) {
                    put.executeBatch();
                }
                if (dels) {
                    del.executeBatch();
                }
            }
        }
        if (!pendingChunks.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(MERGE_CHUNKS)) {
                for (var e : pendingChunks.entrySet()) {
                    ps.setBytes(1, groupKey);
                    ps.setBytes(2, e.getKey().bytes());
                    ps.setBytes(3, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Deletes every row of this group and refuses later writes (the node left the group). */
    synchronized void removeAll() {
        pendingLocals.clear();
        pendingChunks.clear();
        deleteRows(dataSource, group);
        removed = true;
    }

    /** Deletes every row of {@code group} in one transaction. */
    static void deleteRows(DataSource dataSource, GroupId group) {
        try (Connection c = dataSource.getConnection()) {
            inTransaction(c, tx -> {
                for (String table : TABLES) {
                    try (PreparedStatement ps = tx.prepareStatement("DELETE FROM " + table + " WHERE group_id = ?")) {
                        ps.setBytes(1, group.bytes());
                        ps.executeUpdate();
                    }
                }
            });
        } catch (SQLException e) {
            throw new IndexStorageException(group, "remove", Failure.describe(e), e);
        }
    }

    // -------------------------------------------------------------------- plumbing

    private void checkNotRemoved() {
        if (removed) {
            throw new IllegalStateException("the index of group " + group + " was removed (the node left the group);"
                    + " open the group again from the store provider to write to it");
        }
    }

    private void write(String operation, SqlWork work) {
        try (Connection c = dataSource.getConnection()) {
            inTransaction(c, work);
        } catch (SQLException e) {
            throw new IndexStorageException(group, operation, Failure.describe(e), e);
        }
    }

    /** Runs {@code work} in one transaction, committed before returning; rolled back when it throws. */
    private static void inTransaction(Connection c, SqlWork work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            c.setAutoCommit(true); // hand a pooled connection back as it came
        }
    }


    @FunctionalInterface
    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }
}
