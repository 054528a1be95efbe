package org.savesync.server.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.replication.EntryType;

/**
 * The version rows of one group ({@code entries}, with {@code arrival} and {@code received_at}
 * from {@code V6__versions.sql}): ranked per path for retention, removed when retention says
 * so, and the chunk lists no version names any more. Every method runs inside a transaction
 * its caller opened.
 */
final class VersionRows {
    /**
     * Every version of the group (or of one path), ranked per path newest first, with the arrival
     * time of the next newer version. Times as microseconds since the epoch (exact, and free of
     * the JDBC driver's time zone handling).
     */
    private static final String RANKED = "SELECT author, seq, path, type, blob_id, size, NOT superseded,"
            + " CAST(row_number() OVER w AS integer),"
            + " CAST(extract(epoch FROM received_at) * 1000000 AS bigint),"
            + " CAST(extract(epoch FROM lag(received_at) OVER w) * 1000000 AS bigint)"
            + " FROM entries WHERE group_id = ?1 %s"
            + " WINDOW w AS (PARTITION BY path ORDER BY arrival DESC) ORDER BY path, arrival DESC";

    /** Versions deleted per statement. */
    static final int DELETE_BATCH = 1_000;

    private final byte[] key;

    VersionRows(GroupId group) {
        this.key = group.bytes();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    /** Every version of every path of the group. */
    List<StoredVersion> all() {
        return read(em().createNativeQuery(RANKED.formatted(""), Object[].class).setParameter(1, key));
    }

    /** Every version of one path, newest first. */
    List<StoredVersion> ofPath(String path) {
        return read(em().createNativeQuery(RANKED.formatted("AND path = ?2"), Object[].class).setParameter(1, key)
                .setParameter(2, path));
    }

    @SuppressWarnings("unchecked")
    private static List<StoredVersion> read(jakarta.persistence.Query q) {
        List<Object[]> rows = q.getResultList();
        List<StoredVersion> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new StoredVersion(NodeId.of((byte[]) r[0]), ((Number) r[1]).longValue(), (String) r[2],
                    EntryType.valueOf((String) r[3]), r[4] == null ? null : BlobId.fromBytes((byte[]) r[4]),
                    ((Number) r[5]).longValue(), (Boolean) r[6], ((Number) r[7]).intValue(), micros(r[8]),
                    r[9] == null ? null : micros(r[9])));
        }
        return out;
    }

    /** A time the queries give as microseconds since the epoch. */
    static java.time.Instant micros(Object v) {
        long us = ((Number) v).longValue();
        return java.time.Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000), Math.floorMod(us, 1_000_000) * 1000L);
    }

    /**
     * Per path and author, the newest version received at or before {@code at}: signed bytes,
     * signature and arrival (microseconds since the epoch).
     */
    @SuppressWarnings("unchecked")
    List<Object[]> newestPerAuthorAt(java.time.Instant at) {
        return em().createNativeQuery("SELECT DISTINCT ON (path, author) signed_bytes, signature,"
                        + " CAST(extract(epoch FROM received_at) * 1000000 AS bigint) FROM entries"
                        + " WHERE group_id = ?1 AND received_at <= ?2 ORDER BY path, author, arrival DESC", Object[].class)
                .setParameter(1, key).setParameter(2, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC))
                .getResultList();
    }

    /** The signed bytes and signature of one version, or null when the group holds no such version. */
    Object[] signed(NodeId author, long seq) {
        List<?> r = em().createQuery("select e.signedBytes, e.signature from EntryEntity e where e.groupId = :g"
                        + " and e.author = :a and e.seq = :s", Object[].class).setParameter("g", key)
                .setParameter("a", author.bytes()).setParameter("s", seq).getResultList();
        return r.isEmpty() ? null : (Object[]) r.getFirst();
    }

    /** Deletes the listed versions ({@code seqs}: author → seqs) that are superseded; returns how many went. */
    int deleteSuperseded(Map<NodeId, ? extends Collection<Long>> seqs) {
        int deleted = 0;
        for (var e : seqs.entrySet()) {
            List<Long> all = List.copyOf(e.getValue());
            for (int i = 0; i < all.size(); i += DELETE_BATCH) { // each seq is a bind parameter: stay far below the 65,535
                deleted += em().createQuery("delete from EntryEntity e where e.groupId = :g and e.author = :a"
                                + " and e.seq in :seqs and e.superseded = true")
                        .setParameter("g", key).setParameter("a", e.getKey().bytes())
                        .setParameter("seqs", all.subList(i, Math.min(i + DELETE_BATCH, all.size()))).executeUpdate();
            }
        }
        return deleted;
    }

    /** Deletes the chunk lists of blobs that no version of the group names; returns those blobs. */
    @SuppressWarnings("unchecked")
    List<BlobId> deleteUnreferencedLists() {
        List<byte[]> gone = em().createNativeQuery("DELETE FROM chunk_lists c WHERE c.group_id = ?1 AND NOT EXISTS"
                        + " (SELECT 1 FROM entries e WHERE e.group_id = c.group_id AND e.blob_id = c.blob_id)"
                        + " RETURNING c.blob_id", byte[].class).setParameter(1, key).getResultList();
        return gone.stream().map(BlobId::fromBytes).toList();
    }
}
