package org.savesync.server.persistence.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

/** A row of {@code member_list_versions}: one signed member list version, kept for good. */
@Entity
@Table(name = "member_list_versions")
@IdClass(MemberListVersionEntity.Key.class)
public class MemberListVersionEntity extends PanacheEntityBase {
    @Id
    public byte[] groupId;
    @Id
    public long version;
    public byte[] signedBytes;
    public byte[] signature;
    public Instant issuedAt;

    /** The primary key (group, version). */
    public static class Key implements Serializable {
        public byte[] groupId;
        public long version;

        public Key() {
        }

        public Key(byte[] groupId, long version) {
            this.groupId = groupId;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(groupId, k.groupId) && version == k.version;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(groupId) + Long.hashCode(version);
        }
    }
}
