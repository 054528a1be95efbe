package org.savesync.agent.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.failure.Failure;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.RecordCodec;
import org.savesync.core.index.InMemoryIndexStore;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.protocol.SignedRecord;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;

/**
 * Reads all of one group's rows when its {@link H2IndexStore} is opened. Every row is decoded
 * strictly, so a damaged database fails here with an {@link IndexStorageException} saying what
 * to do, not later in the engine. An entry row whose {@link EntrySeal} matches is one the agent
 * wrote after its signature was checked: it is decoded by {@link SignedEntry#reloadVerified}
 * without a second signature check; every other entry row (no seal, or one that does not match)
 * by {@link SignedEntry#parse}, which checks the signature, as before seals (why: EntrySeal).
 */
final class GroupLoader {
    /** From this many entries on, their signatures are checked on all cores. */
    private static final int PARALLEL_PARSE_MIN = 256;

    private final Connection connection;
    private final GroupId group;
    private final byte[] groupKey;
    private final EntrySeal seal;

    GroupLoader(Connection connection, GroupId group, EntrySeal seal) {
        this.connection = connection;
        this.group = group;
        this.groupKey = group.bytes();
        this.seal = seal;
    }

    /** Reads every row of the group into {@code memory}. */
    void loadInto(InMemoryIndexStore memory) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT group_name, folder_path, authority, member_list,"
                + " member_list_sig, secret_epoch, secret, peer_addresses, handover, handover_sig FROM idx_group WHERE group_id = ?")) {
            ps.setBytes(1, groupKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    memory.saveInfo(decodeRow("group info", () -> {
                        long epoch = rs.getLong(6);
                        GroupSecret secret = rs.wasNull() ? null : GroupSecret.of(epoch, rs.getBytes(7));
                        return new GroupInfo(group, rs.getString(1), Path.of(rs.getString(2)), NodeId.of(rs.getBytes(3)),
                                new SignedRecord(rs.getBytes(4), rs.getBytes(5)), secret,
                                RecordCodec.decodePeers(rs.getBytes(8)),
                                rs.getBytes(9) == null ? null : new SignedRecord(rs.getBytes(9), rs.getBytes(10)));
                    }));
                }
            }
        }
        List<byte[][]> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT signed_bytes, signature, seal FROM idx_entry WHERE group_id = ? ORDER BY author, seq")) {
            ps.setBytes(1, groupKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new byte[][] {rs.getBytes(1), rs.getBytes(2), rs.getBytes(3)});
                }
            }
        }
        // Unsealed rows: SignedEntry.parse re-checks structure and signature, so a damaged row fails
        // here and not in the engine; that signature check (~0.3 ms each) is what sealed rows skip.
        List<SignedEntry> entries = (rows.size() < PARALLEL_PARSE_MIN ? rows.stream() : rows.parallelStream())
                .map(this::parseEntry).toList();
        Map<NodeId, Long> knowledge = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT author, seq FROM idx_knowledge WHERE group_id = ?")) {
            ps.setBytes(1, groupKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    knowledge.put(decodeRow("knowledge", () -> NodeId.of(rs.getBytes(1))), rs.getLong(2));
                }
            }
        }
        memory.store(entries, knowledge);
        try (PreparedStatement ps = connection.prepareStatement("SELECT path, local_record FROM idx_local WHERE group_id = ?")) {
            ps.setBytes(1, groupKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    memory.putLocal(decodeRow("local record",
                            () -> RecordCodec.decodeLocal(SafePath.of(rs.getString(1)), rs.getBytes(2))));
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT blob_id, chunks FROM idx_chunk_list WHERE group_id = ?")) {
            ps.setBytes(1, groupKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BlobId blob = decodeRow("chunk list", () -> BlobId.fromBytes(rs.getBytes(1)));
                    memory.putChunkList(blob, decodeRow("chunk list", () -> RecordCodec.decodeChunks(rs.getBytes(2))));
                }
            }
        }
    }

    private SignedEntry parseEntry(byte[][] row) {
        try {
            return seal.matches(group, row[0], row[1], row[2]) ? SignedEntry.reloadVerified(row[0], row[1])
                    : SignedEntry.parse(row[0], row[1]);
        } catch (RuntimeException e) {
            throw damaged("entry", e);
        }
    }

    private <T> T decodeRow(String what, RowDecoder<T> decoder) throws SQLException {
        try {
            return decoder.decode();
        } catch (RuntimeException e) {
            throw damaged(what, e);
        }
    }

    /** A row that does not decode means the database is damaged or was written by a newer agent. */
    private IndexStorageException damaged(String what, RuntimeException e) {
        return new IndexStorageException(group, "load", "a stored " + what + " does not decode (" + Failure.describe(e)
                + "): the index database is damaged or was written by a newer agent; restore it from a"
                + " backup or leave and rejoin the group to fetch the index again", e);
    }

    @FunctionalInterface
    private interface RowDecoder<T> {
        T decode() throws SQLException;
    }
}
