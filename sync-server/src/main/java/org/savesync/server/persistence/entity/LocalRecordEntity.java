package org.savesync.server.persistence.entity;

import org.savesync.core.index.RecordCodec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/** A row of {@code local_records}: a {@code LocalRecord} (unused on the hub, kept for the contract). */
@Entity
@Table(name = "local_records")
@IdClass(LocalRecordEntity.Key.class)
public class LocalRecordEntity extends PanacheEntityBase {
    @Id
    public byte[] groupId;
    @Id
    public String path;
    /** {@code RecordCodec.encodeLocal}. */
    public byte[] localRecord;

    /** The primary key (group, path). */
    public static class Key implements Serializable {
        public byte[] groupId;
        public String path;

        public Key() {
        }

        public Key(byte[] groupId, String path) {
            this.groupId = groupId;
            this.path = path;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(groupId, k.groupId) && Objects.equals(path, k.path);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(groupId) + Objects.hashCode(path);
        }
    }
}
