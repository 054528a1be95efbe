package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Arrays;

/** A row of {@code knowledge}: the highest seq of an author the hub received for a group. */
@Entity
@Table(name = "knowledge")
@IdClass(KnowledgeEntity.Key.class)
public class KnowledgeEntity extends PanacheEntityBase {
    @Id
    public byte[] groupId;
    @Id
    public byte[] author;
    public long seq;

    public static KnowledgeEntity of(byte[] groupId, byte[] author, long seq) {
        KnowledgeEntity row = new KnowledgeEntity();
        row.groupId = groupId;
        row.author = author;
        row.seq = seq;
        return row;
    }

    /** The primary key (group, author). */
    public static class Key implements Serializable {
        public byte[] groupId;
        public byte[] author;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(groupId, k.groupId) && Arrays.equals(author, k.author);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(groupId) + Arrays.hashCode(author);
        }
    }
}
