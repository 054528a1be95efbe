package org.savesync.server.persistence.entity;

import org.savesync.core.index.RecordCodec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Arrays;

/** A row of {@code chunk_lists}: a blob's ordered chunks in one group, and whether all are stored. */
@Entity
@Table(name = "chunk_lists")
@IdClass(ChunkListEntity.Key.class)
public class ChunkListEntity extends PanacheEntityBase {
    @Id
    public byte[] groupId;
    @Id
    public byte[] blobId;
    /** {@code RecordCodec.encodeChunks}. */
    public byte[] chunks;
    public boolean complete;

    /** The primary key (group, blob). */
    public static class Key implements Serializable {
        public byte[] groupId;
        public byte[] blobId;

        public Key() {
        }

        public Key(byte[] groupId, byte[] blobId) {
            this.groupId = groupId;
            this.blobId = blobId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(groupId, k.groupId) && Arrays.equals(blobId, k.blobId);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(groupId) + Arrays.hashCode(blobId);
        }
    }
}
