package org.savesync.server.persistence;

import org.savesync.core.index.RecordCodec;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeId;
import org.savesync.core.index.GroupInfo;
import org.savesync.core.index.LocalRecord;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.Member;
import org.savesync.core.membership.SignedMemberList;
import org.savesync.core.replication.SafePath;
import org.savesync.core.replication.SignedEntry;
import org.savesync.server.persistence.entity.ChunkListEntity;
import org.savesync.server.persistence.entity.EntryEntity;
import org.savesync.server.persistence.entity.GroupEntity;
import org.savesync.server.persistence.entity.KnowledgeEntity;
import org.savesync.server.persistence.entity.LocalRecordEntity;
import org.savesync.server.persistence.entity.MemberEntity;
import org.savesync.server.persistence.entity.MemberListVersionEntity;

/**
 * The rows of one group, read and written through Hibernate. Every method must run inside a
 * transaction its caller ({@link PgIndexStore}) opened; none of them decides what to write,
 * they write what they are told.
 */
final class GroupRows {
    /** Tables holding rows of a group, each with a {@code groupId} attribute. */
    private static final List<String> ENTITIES = List.of("EntryEntity", "KnowledgeEntity", "ChunkListEntity",
            "LocalRecordEntity", "MemberEntity", "MemberListVersionEntity", "GroupEntity");

    private final GroupId group;
    private final byte[] key;

    GroupRows(GroupId group) {
        this.group = group;
        this.key = group.bytes();
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    /** Everything stored for the group, undecoded (the caller decodes outside the transaction). */
    record Stored(GroupEntity info, List<Object[]> entries, List<Object[]> knowledge, List<Object[]> locals,
                  List<Object[]> chunkLists) {
    }

    Stored read() {
        EntityManager em = em();
        GroupEntity info = em.find(GroupEntity.class, key);
        if (info != null) {
            em.detach(info);
        }
        return new Stored(info,
                em.createQuery("select e.signedBytes, e.signature from EntryEntity e"
                        + " where e.groupId = :g and e.superseded = false", Object[].class).setParameter("g", key)
                        .getResultList(),
                em.createQuery("select k.author, k.seq from KnowledgeEntity k where k.groupId = :g", Object[].class)
                        .setParameter("g", key).getResultList(),
                em.createQuery("select l.path, l.localRecord from LocalRecordEntity l where l.groupId = :g",
                        Object[].class).setParameter("g", key).getResultList(),
                em.createQuery("select c.blobId, c.chunks, c.complete from ChunkListEntity c where c.groupId = :g",
                        Object[].class).setParameter("g", key).getResultList());
    }

    /**
     * Writes the group's info; when {@code newList} is set (a member list version not saved
     * before), also records the version and rewrites the members from it.
     */
    void saveInfo(GroupInfo info, SignedMemberList newList) {
        EntityManager em = em();
        GroupEntity row = em.find(GroupEntity.class, key);
        boolean fresh = row == null;
        if (fresh) {
            row = new GroupEntity();
            row.groupId = key;
        }
        row.name = info.name();
        row.folder = info.folder() == null ? null : info.folder().toString();
        row.authority = info.authority().bytes();
        row.secretEpoch = info.secret() == null ? null : info.secret().epoch();
        row.secret = info.secret() == null ? null : info.secret().bytes();
        row.handover = info.handover() == null ? null : info.handover().signedBytes();
        row.handoverSig = info.handover() == null ? null : info.handover().signature();
        row.memberList = info.memberList().signedBytes();
        row.memberListSig = info.memberList().signature();
        row.peerAddresses = RecordCodec.encodePeers(info.peerAddresses());
        if (newList != null) {
            row.memberListVersion = newList.version();
            recordVersion(em, newList);
            em.createQuery("delete from MemberEntity m where m.groupId = :g").setParameter("g", key).executeUpdate();
            for (Member m : newList.list().members()) {
                MemberEntity member = new MemberEntity();
                member.groupId = key;
                member.nodeId = m.id().bytes();
                member.name = m.name();
                member.role = m.role().name();
                member.addedAt = Instant.ofEpochMilli(m.addedAtMillis());
                member.addedBy = m.addedBy().bytes();
                em.persist(member);
            }
        }
        if (fresh) {
            em.persist(row);
        }
    }

    private void recordVersion(EntityManager em, SignedMemberList list) {
        if (em.find(MemberListVersionEntity.class, new MemberListVersionEntity.Key(key, list.version())) != null) {
            return; // kept from before (the hub re-saves the list it already had, e.g. after a restart)
        }
        MemberListVersionEntity v = new MemberListVersionEntity();
        v.groupId = key;
        v.version = list.version();
        v.signedBytes = list.signedBytes();
        v.signature = list.signature();
        v.issuedAt = Instant.ofEpochMilli(list.list().issuedAtMillis());
        em.persist(v);
    }

    /**
     * Inserts {@code accepted} as current entries after marking the rows they replace
     * ({@code replaced}: author → seqs) superseded, and writes the raised knowledge
     * ({@code known}: authors that already have a knowledge row).
     */
    void storeEntries(Collection<SignedEntry> accepted, Map<NodeId, List<Long>> replaced, Map<NodeId, Long> raised,
                      Collection<NodeId> known) {
        EntityManager em = em();
        for (var r : replaced.entrySet()) {
            em.createQuery("update EntryEntity e set e.superseded = true"
                            + " where e.groupId = :g and e.author = :a and e.seq in :seqs")
                    .setParameter("g", key).setParameter("a", r.getKey().bytes()).setParameter("seqs", r.getValue())
                    .executeUpdate();
        }
        for (SignedEntry e : accepted) {
            em.persist(EntryEntity.of(group, e));
        }
        for (var m : raised.entrySet()) {
            if (known.contains(m.getKey())) {
                em.createQuery("update KnowledgeEntity k set k.seq = :s where k.groupId = :g and k.author = :a")
                        .setParameter("s", m.getValue()).setParameter("g", key).setParameter("a", m.getKey().bytes())
                        .executeUpdate();
            } else {
                em.persist(KnowledgeEntity.of(key, m.getKey().bytes(), m.getValue()));
            }
        }
    }

    /** Inserts the blob's chunk list, or replaces the one stored ({@code exists}), keeping its completeness. */
    void putChunkList(BlobId blob, List<ChunkRef> chunks, boolean exists) {
        EntityManager em = em();
        byte[] encoded = RecordCodec.encodeChunks(chunks);
        if (exists) {
            ChunkListEntity row = em.find(ChunkListEntity.class, new ChunkListEntity.Key(key, blob.bytes()));
            if (row != null) {
                row.chunks = encoded;
                return;
            }
        }
        ChunkListEntity row = new ChunkListEntity();
        row.groupId = key;
        row.blobId = blob.bytes();
        row.chunks = encoded;
        em.persist(row);
    }

    /** Marks the blob's chunk list complete; false when the group has no chunk list for it. */
    boolean markComplete(BlobId blob) {
        return em().createQuery("update ChunkListEntity c set c.complete = true where c.groupId = :g and c.blobId = :b")
                .setParameter("g", key).setParameter("b", blob.bytes()).executeUpdate() == 1;
    }

    void putLocal(LocalRecord record, boolean exists) {
        EntityManager em = em();
        String path = record.path().toString();
        byte[] encoded = RecordCodec.encodeLocal(record);
        LocalRecordEntity row = exists ? em.find(LocalRecordEntity.class, new LocalRecordEntity.Key(key, path)) : null;
        if (row == null) {
            row = new LocalRecordEntity();
            row.groupId = key;
            row.path = path;
            row.localRecord = encoded;
            em.persist(row);
        } else {
            row.localRecord = encoded;
        }
    }

    void removeLocal(SafePath path) {
        em().createQuery("delete from LocalRecordEntity l where l.groupId = :g and l.path = :p")
                .setParameter("g", key).setParameter("p", path.toString()).executeUpdate();
    }

    /** Deletes every row of the group, superseded entries and member list versions included. */
    void deleteAll() {
        EntityManager em = em();
        for (String entity : ENTITIES) {
            em.createQuery("delete from " + entity + " x where x.groupId = :g").setParameter("g", key).executeUpdate();
        }
    }
}
